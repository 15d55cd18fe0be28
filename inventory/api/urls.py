from rest_framework.routers import SimpleRouter

from inventory.api import views

router = SimpleRouter()
router.register("product-categories", views.ProductCategoryViewSet, basename="product-category")
router.register("products", views.ProductViewSet, basename="product")
router.register("tier-prices", views.TierPriceViewSet, basename="tier-price")
router.register("orders", views.OrderViewSet, basename="order")
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("shipments", views.ShipmentViewSet, basename="shipment")
urlpatterns = router.urls
