"""API paths of the stock count and the suggested order of a visit (included by visits/api/urls.py)."""

from django.urls import path

from visits.api import count_views

urlpatterns = [
    path("visits/<int:pk>/stock-counts/", count_views.StockCountListCreate.as_view(), name="visit-stock-counts"),
    path("visits/<int:pk>/suggested-order/", count_views.SuggestedOrderView.as_view(), name="visit-suggested-order"),
    path("visits/<int:pk>/suggested-order/order/", count_views.SuggestedOrderPlace.as_view(),
         name="visit-suggested-order-place"),
]
