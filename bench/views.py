"""The two baselines every benchmark round measures next to the scenarios.

(a) `minimal`: the least a Django JSON view can do: the floor of the framework on this machine.
(c) `values`: the same 50 rows as the API stakeholder list (same filter, order and fields,
    region ids included), read with `.values()` and written with `JsonResponse`: what the
    query itself costs, without serializers, authentication, pagination or count.
"""

from django.http import JsonResponse

from stakeholders.models import Stakeholder

# The fields of the API's stakeholder list; the briefs (country, organisation) come from the same join.
VALUES_FIELDS = (
    "id",
    "kind",
    "name",
    "acronym",
    "sector",
    "level",
    "country_id",
    "country__code",
    "country__name",
    "organisation_id",
    "organisation__name",
    "organisation__acronym",
    "organisation__sector",
    "description",
    "website",
    "created_at",
    "updated_at",
)


def minimal(request):
    return JsonResponse({"ok": True})


def values(request):
    rows = Stakeholder.objects.order_by("name", "pk")
    if country := request.GET.get("country"):
        rows = rows.filter(country_id=country)
    if sector := request.GET.get("sector"):
        rows = rows.filter(sector=sector)
    page = list(rows.values(*VALUES_FIELDS)[:50])
    regions: dict[int, list[int]] = {}
    links = Stakeholder.regions.through.objects.filter(stakeholder_id__in=[row["id"] for row in page])
    for stakeholder_id, region_id in links.values_list("stakeholder_id", "region_id"):
        regions.setdefault(stakeholder_id, []).append(region_id)
    for row in page:
        row["regions"] = regions.get(row["id"], [])
    return JsonResponse({"results": page})
