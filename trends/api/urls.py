from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("network-snapshots", views.NetworkSnapshotViewSet, basename="networksnapshot")
router.register("coalition-health-snapshots", views.CoalitionHealthSnapshotViewSet, basename="coalitionhealthsnapshot")
urlpatterns = router.urls
