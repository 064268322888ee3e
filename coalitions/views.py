from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import Coalition, Engagement, Initiative, LearningNote


@login_required
def dashboard(request):
    coalitions = Coalition.objects.visible_to(request.user).select_related("initiative__country")
    return render(request, "coalitions/dashboard.html", {"coalitions": coalitions})


@login_required
def initiative_detail(request, pk: int):
    initiative = get_object_or_404(Initiative.objects.visible_to(request.user).select_related("country"), pk=pk)
    return render(request, "coalitions/initiative_detail.html", {"initiative": initiative})


@login_required
def coalition_list(request):
    coalitions = Coalition.objects.visible_to(request.user).select_related("initiative__country")
    return render(request, "coalitions/coalition_list.html", {"coalitions": coalitions})


@login_required
def coalition_detail(request, pk: int):
    coalition = get_object_or_404(Coalition.objects.visible_to(request.user).select_related("initiative"), pk=pk)
    return render(request, "coalitions/coalition_detail.html", {"coalition": coalition})


@login_required
def engagement_detail(request, pk: int):
    engagement = get_object_or_404(Engagement.objects.visible_to(request.user), pk=pk)
    return render(request, "coalitions/engagement_detail.html", {"engagement": engagement})


@login_required
def learningnote_detail(request, pk: int):
    note = get_object_or_404(LearningNote.objects.visible_to(request.user), pk=pk)
    return render(request, "coalitions/learningnote_detail.html", {"note": note})
