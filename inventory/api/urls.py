from django.urls import path

from common.api.routers import ApiRouter
from inventory.api import carried, views

router = ApiRouter()
router.register("product-categories", views.ProductCategoryViewSet, basename="product-category")
router.register("products", views.ProductViewSet, basename="product")
router.register("tier-prices", views.TierPriceViewSet, basename="tier-price")
router.register("orders", views.OrderViewSet, basename="order")
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("shipments", views.ShipmentViewSet, basename="shipment")
urlpatterns = [
    path("dealers/<int:pk>/products/", carried.DealerCarriedProducts.as_view(), name="dealer-products"),
    *router.urls,
]
