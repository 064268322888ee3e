from django.shortcuts import get_object_or_404, render

from core.views import staff_required

from .models import Country, Region


@staff_required
def country_list(request):
    countries = Country.objects.visible_to(request.user)
    return render(request, "countries/country_list.html", {"countries": countries})


@staff_required
def country_detail(request, code: str):
    country = get_object_or_404(Country.objects.visible_to(request.user), code=code.upper())
    return render(request, "countries/country_detail.html", {"country": country})


@staff_required
def region_detail(request, pk: int):
    region = get_object_or_404(Region.objects.visible_to(request.user).select_related("country"), pk=pk)
    return render(request, "countries/region_detail.html", {"region": region})
