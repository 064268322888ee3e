"""Load the program's countries and their ISO 3166-2 subdivisions from pycountry.

Shared by the data migration (which runs on every install) and the `load_regions`
command, so both use the same mapping. Takes model classes as arguments because a
migration must use its historical models.
"""

import pycountry

PROGRAM_COUNTRIES = {"CO": "Colombia", "PE": "Peru", "PH": "Philippines"}

# pycountry's subdivision types are English labels; map them to Region.Kind values.
KIND_BY_ISO_TYPE = {
    "Department": "department",
    "Capital district": "district",
    "Region": "region",
    "Municipality": "municipality",
    "Province": "province",
}


def load_iso_regions(country_model, region_model, codes=tuple(PROGRAM_COUNTRIES)) -> int:
    """Create missing countries and subdivisions; return how many regions were created."""
    created = 0
    for code in codes:
        country, _ = country_model.objects.get_or_create(code=code, defaults={"name": PROGRAM_COUNTRIES[code]})
        subdivisions = sorted(pycountry.subdivisions.get(country_code=code), key=lambda s: s.parent_code or "")
        for sub in subdivisions:  # parents (no parent_code) first
            parent = region_model.objects.get(code=sub.parent_code) if sub.parent_code else None
            _, was_created = region_model.objects.get_or_create(
                code=sub.code,
                defaults={
                    "country": country,
                    "name": sub.name,
                    "kind": KIND_BY_ISO_TYPE.get(sub.type, "other"),
                    "parent": parent,
                },
            )
            created += was_created
    return created
