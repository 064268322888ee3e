"""The regions of a page of stakeholders, in one query (the API list and the directory ask it)."""

from .models import Stakeholder


def regions_by_stakeholder(stakeholder_ids: list[int], field: str = "id") -> dict[int, list]:
    """`{stakeholder id: [each region's id, or name]}`: ids in id order, names in name order."""
    if field not in ("id", "name"):
        raise ValueError(f"field must be 'id' or 'name', not {field!r}")
    if not stakeholder_ids:
        return {}
    links = Stakeholder.regions.through.objects.filter(stakeholder_id__in=stakeholder_ids)
    if field == "id":
        pairs = links.order_by("stakeholder_id", "region_id").values_list("stakeholder_id", "region_id")
    else:
        pairs = links.order_by("region__name", "region_id").values_list("stakeholder_id", "region__name")
    found: dict[int, list] = {}
    for stakeholder_id, value in pairs:
        found.setdefault(stakeholder_id, []).append(value)
    return found
