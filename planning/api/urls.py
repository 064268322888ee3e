from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("entry-points", views.EntryPointViewSet, basename="entrypoint")
router.register("development-plans", views.DevelopmentPlanViewSet, basename="developmentplan")
router.register("plan-objectives", views.PlanObjectiveViewSet, basename="planobjective")
router.register("resource-flows", views.ResourceFlowViewSet, basename="resourceflow")
router.register("budget-executions", views.BudgetExecutionViewSet, basename="budgetexecution")
urlpatterns = router.urls
