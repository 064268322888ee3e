"""Country and region names in the reader's language, from pycountry's ISO 3166 translations.

The database keeps the English (ISO) name, which exports, imports and sorting use; every page shows
`display_name`, translated into the active language when pycountry has a translation of that name
(a name the team typed themselves shows as typed).
"""

import gettext
from functools import cache

import pycountry
from django.utils.functional import lazy
from django.utils.translation import get_language

COUNTRY_DOMAIN = "iso3166-1"
REGION_DOMAIN = "iso3166-2"


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _translated(domain: str, name: str) -> str:
    language = (get_language() or "en").split("-")[0]
    if not name or language == "en":
        return name
    return _catalogue(domain, language).gettext(name)


def country_name(name: str) -> str:
    """A country's English (ISO 3166-1) name in the active language."""
    return _translated(COUNTRY_DOMAIN, name)


def region_name(name: str) -> str:
    """A subdivision's English (ISO 3166-2) name in the active language."""
    return _translated(REGION_DOMAIN, name)


def _country_name_of_code(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return country_name(country.name) if country else code


country_name_of_code = lazy(_country_name_of_code, str)


def country_choices() -> list[tuple[str, str]]:
    """Every ISO country as (alpha-2 code, name in the active language), sorted in that language."""
    from django.utils.text import slugify

    choices = [(country.alpha_2, country_name(country.name)) for country in pycountry.countries]
    return sorted(choices, key=lambda choice: slugify(choice[1]))
