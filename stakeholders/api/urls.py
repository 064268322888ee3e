from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("stakeholders", views.StakeholderViewSet, basename="stakeholder")
router.register("contacts", views.ContactViewSet, basename="contact")
router.register("relationships", views.RelationshipViewSet, basename="relationship")
urlpatterns = router.urls
