"""The stock count and suggested order pages of a visit; included into the visits
namespace (app_name "visits") by visits/urls.py."""

from django.urls import path

from visits import count_views

urlpatterns = [
    path("<int:pk>/stock-count/", count_views.stock_count, name="stock_count"),
    path("<int:pk>/suggested-order/", count_views.suggested_order, name="suggested_order"),
]
