from django.shortcuts import get_object_or_404, render

from core.views import staff_required

from .models import Stakeholder


@staff_required
def stakeholder_list(request):
    stakeholders = Stakeholder.objects.visible_to(request.user).select_related("country")[:50]
    return render(request, "stakeholders/stakeholder_list.html", {"stakeholders": stakeholders})


@staff_required
def stakeholder_detail(request, pk: int):
    stakeholder = get_object_or_404(Stakeholder.objects.visible_to(request.user).select_related("country"), pk=pk)
    return render(request, "stakeholders/stakeholder_detail.html", {"stakeholder": stakeholder})


@staff_required
def relationship_network(request):
    return render(request, "stakeholders/relationship_network.html", {})
