from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("explorers", views.ExplorerViewSet, basename="explorer")
urlpatterns = router.urls
