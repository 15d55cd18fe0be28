from django.urls import path

from inventory import views

app_name = "inventory"

urlpatterns = [
    path("products/", views.product_list, name="product_list"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("prices/", views.price_list, name="price_list"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/new/", views.order_create, name="order_create"),
    path("orders/<int:pk>/", views.order_detail_page, name="order_detail"),
    path("orders/<int:pk>/print/<str:kind>/", views.order_slip, name="order_slip"),
    path("orders/<int:pk>/<str:action>/", views.order_action, name="order_action"),
    path("dealers/<int:dealer_id>/products/", views.dealer_product_add, name="dealer_product_add"),
    path("dealers/<int:dealer_id>/products/<int:product_id>/stop/", views.dealer_product_stop,
         name="dealer_product_stop"),
]
