from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("coalitions", views.CoalitionViewSet, basename="coalition")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("engagements", views.EngagementViewSet, basename="engagement")
router.register("outcomes", views.OutcomeViewSet, basename="outcome")
router.register("learning-notes", views.LearningNoteViewSet, basename="learningnote")
urlpatterns = router.urls
