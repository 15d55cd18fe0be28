"""ERP sync endpoints (hq/api/views.py). Included before the apps' routers, so
that `products/bulk/` is not read as the product with id "bulk"."""

from django.urls import path

from hq.api import views

urlpatterns = [
    path("products/by-sku/<str:sku>/", views.ProductBySkuView.as_view(), name="product-by-sku"),
    path("products/bulk/", views.ProductBulkView.as_view(), name="product-bulk"),
    path("tier-prices/by-key/<str:tier>/<str:sku>/", views.TierPriceByKeyView.as_view(), name="tier-price-by-key"),
    path("tier-prices/bulk/", views.TierPriceBulkView.as_view(), name="tier-price-bulk"),
    path("dealers/by-code/<str:code>/", views.DealerByCodeView.as_view(), name="dealer-by-code"),
    path("dealers/bulk/", views.DealerBulkView.as_view(), name="dealer-bulk"),
]
