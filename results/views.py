from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.views import get_editable_or_403, get_visible_or_404

from .forms import IndicatorValueForm
from .models import Indicator


@login_required
def indicator_detail(request, pk: int):
    indicator = get_visible_or_404(
        Indicator.objects.select_related("objective__plan", "initiative", "coalition", "region").with_values(),
        request.user,
        pk=pk,
    )
    can_edit = Indicator.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "results/indicator_detail.html",
        {"indicator": indicator, "indicator_list": [indicator], "can_edit": can_edit},
    )


@login_required
def value_create(request, pk: int):
    indicator = get_editable_or_403(Indicator.objects, request.user, pk=pk)
    form = IndicatorValueForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Value saved."))
        return redirect(indicator)
    return render(request, "results/indicatorvalue_form.html", {"form": form, "indicator": indicator})
