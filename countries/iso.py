"""Load the program's countries and their ISO 3166-2 subdivisions from pycountry.

Shared by the data migration (which runs on every install) and the `load_regions`
command, so both use the same mapping. Takes model classes as arguments because a
migration must use its historical models.
"""

import functools
import gettext

import pycountry
from django.utils import translation

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


@functools.cache
def _country_names(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, default: str, language: str | None = None) -> str:
    """The country's name in the active language, from pycountry's ISO 3166-1 catalogue (Perú,
    Filipinas); `default` (the stored name) in English or where the catalogue has none."""
    language = (language or translation.get_language() or "en").split("-")[0]
    iso = pycountry.countries.get(alpha_2=code)
    if language == "en" or iso is None:
        return default
    translated = _country_names(language).gettext(iso.name)
    return translated if translated != iso.name else default
