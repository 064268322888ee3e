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
# A country's roll-up: countries/{id}/rollup/, beside the countries app's own routes.
router.register("countries", views.CountryRollupViewSet, basename="country-rollup")
urlpatterns = router.urls
