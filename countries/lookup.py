"""Countries and regions as files name them: ISO codes, names in English or Spanish (with or without
accents), and the official statistical codes of each country's departments.

The official codes are those the public data portals publish: DANE's DIVIPOLA department codes in
Colombia (05 Antioquia, 44 La Guajira), INEI's ubigeo department codes in Peru (18 Moquegua), and the
PSGC region codes in the Philippines (13 NCR). A longer code of the same department (the ubigeo
"180000", the PSGC "1300000000") is accepted too; a municipality's or district's code is not one of
a department and is refused rather than counted in its department: it names a municipality
(`Municipalities`, the imports' municipality column). The portals often write a code
and a name together ("18: MOQUEGUA"), which is read as both and must agree.
"""

import re

from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from core.importers import LANGUAGES, CellInvalid, label_key
from core.search import fold

from .names import country_name, region_name

#: Official department (region) code → ISO 3166-2 code, per country.
OFFICIAL_CODES = {
    "CO": {  # DANE, DIVIPOLA
        "05": "CO-ANT", "08": "CO-ATL", "11": "CO-DC", "13": "CO-BOL", "15": "CO-BOY", "17": "CO-CAL",
        "18": "CO-CAQ", "19": "CO-CAU", "20": "CO-CES", "23": "CO-COR", "25": "CO-CUN", "27": "CO-CHO",
        "41": "CO-HUI", "44": "CO-LAG", "47": "CO-MAG", "50": "CO-MET", "52": "CO-NAR", "54": "CO-NSA",
        "63": "CO-QUI", "66": "CO-RIS", "68": "CO-SAN", "70": "CO-SUC", "73": "CO-TOL", "76": "CO-VAC",
        "81": "CO-ARA", "85": "CO-CAS", "86": "CO-PUT", "88": "CO-SAP", "91": "CO-AMA", "94": "CO-GUA",
        "95": "CO-GUV", "97": "CO-VAU", "99": "CO-VID",
    },
    "PE": {  # INEI, ubigeo
        "01": "PE-AMA", "02": "PE-ANC", "03": "PE-APU", "04": "PE-ARE", "05": "PE-AYA", "06": "PE-CAJ",
        "07": "PE-CAL", "08": "PE-CUS", "09": "PE-HUV", "10": "PE-HUC", "11": "PE-ICA", "12": "PE-JUN",
        "13": "PE-LAL", "14": "PE-LAM", "15": "PE-LIM", "16": "PE-LOR", "17": "PE-MDD", "18": "PE-MOQ",
        "19": "PE-PAS", "20": "PE-PIU", "21": "PE-PUN", "22": "PE-SAM", "23": "PE-TAC", "24": "PE-TUM",
        "25": "PE-UCA",
    },
    "PH": {  # PSA, PSGC regions
        "01": "PH-01", "02": "PH-02", "03": "PH-03", "04": "PH-40", "05": "PH-05", "06": "PH-06",
        "07": "PH-07", "08": "PH-08", "09": "PH-09", "10": "PH-10", "11": "PH-11", "12": "PH-12",
        "13": "PH-00", "14": "PH-15", "15": "PH-14", "16": "PH-13", "17": "PH-41", "19": "PH-14",
    },
}  # fmt: skip
#: How many digits each country's full codes have (a department's ends in zeros).
FULL_CODE_DIGITS = {"CO": (5, 8), "PE": (6,), "PH": (9, 10)}

#: The currency of a figure from each program country when a file does not say.
CURRENCY_BY_COUNTRY = {"CO": "COP", "PE": "PEN", "PH": "PHP"}

_CODE_AND_NAME = re.compile(r"\s*([0-9]{1,10})\s*[:\-\u2013.]\s*(\S.*)")


def default_currency(country_code: str) -> str:
    """The currency a program country's public figures are in."""
    return CURRENCY_BY_COUNTRY.get(country_code, "PEN")


def _official_candidates(code: str) -> dict[str, str]:
    """ISO codes by country for an official numeric code (a code may mean a department in two countries)."""
    found = {}
    for country, codes in OFFICIAL_CODES.items():
        if len(code) <= 2:
            key = code.zfill(2)
        elif len(code) in FULL_CODE_DIGITS[country] or len(code) + 1 in FULL_CODE_DIGITS[country]:
            padded = code.zfill(max(d for d in FULL_CODE_DIGITS[country] if d >= len(code)))
            if set(padded[2:]) != {"0"}:
                continue  # a province, municipality or district: not a department
            key = padded[:2]
        else:
            continue
        if key in codes:
            found[country] = codes[key]
    return found


class Places:
    """Countries and regions looked up from what a file writes, with every match in a few dictionaries.

    `allowed_country_ids`, when given, narrows an ambiguous name or code to the user's countries
    ("Amazonas" is a department of Colombia and of Peru)."""

    def __init__(self, countries, regions, *, allowed_country_ids=None) -> None:
        self.countries = {country.pk: country for country in countries}
        self.allowed_country_ids = allowed_country_ids
        self.country_by_name: dict[str, object] = {}
        for country in self.countries.values():
            for name in (country.code, country.name, *in_languages_of(country_name, country.name)):
                self.country_by_name.setdefault(label_key(name), country)
        self.region_by_code = {region.code.upper(): region for region in regions if region.code}
        self.regions_by_name: dict[str, list] = {}
        for region in regions:
            names = {label_key(region.name), *(label_key(name) for name in in_languages_of(region_name, region.name))}
            # ISO names carry a qualifier ("Ilocos (Region I)", "Lima hatun llaqta"): the plain part too.
            names |= {label_key(name.split("(")[0]) for name in list(names)}
            for name in names:
                self.regions_by_name.setdefault(name, []).append(region)

    def country(self, text: str):
        found = self.country_by_name.get(label_key(text))
        if found is None:
            raise CellInvalid(
                _("“%(value)s” is not a known country (an ISO code such as CO, or its name).") % {"value": text}
            )
        return found

    def region(self, text: str, *, country=None):
        """The region a cell names by ISO code, official code, name, or "code: name"."""
        value = text.strip()
        region = self.region_by_code.get(value.upper())
        if region is not None:
            return self._check(region, value, country)
        match = _CODE_AND_NAME.fullmatch(value)
        if match:
            by_code = self._by_official_code(match.group(1))
            by_name = self.regions_by_name.get(label_key(match.group(2)), [])
            candidates = [region for region in by_code if region in by_name]
            if not candidates:
                raise CellInvalid(_("“%(value)s”: the code and the name are not the same region.") % {"value": value})
        elif value.isdigit():
            candidates = self._by_official_code(value)
            if not candidates:
                raise CellInvalid(
                    _(
                        "“%(value)s” is not the official code of a department or region (DANE, ubigeo or PSGC); "
                        "a municipality's or district's code goes in the municipality column."
                    )
                    % {"value": value}
                )
        else:
            candidates = self.regions_by_name.get(label_key(value), [])
        if country is not None:
            candidates = [region for region in candidates if region.country_id == country.pk]
        if len(candidates) > 1 and self.allowed_country_ids is not None:
            candidates = [region for region in candidates if region.country_id in self.allowed_country_ids] or (
                candidates
            )
        if not candidates:
            raise CellInvalid(
                _(
                    "“%(value)s” is not a known region (an ISO 3166-2 code such as PE-MOQ, its name, "
                    "or its official code)."
                )
                % {"value": value}
            )
        if len(candidates) > 1:
            raise CellInvalid(
                _("“%(value)s” is more than one region (%(codes)s): write its code.")
                % {"value": value, "codes": ", ".join(sorted(region.code or region.name for region in candidates))}
            )
        return self._check(candidates[0], value, country)

    def _by_official_code(self, code: str) -> list:
        return [self.region_by_code[iso] for iso in _official_candidates(code).values() if iso in self.region_by_code]

    def _check(self, region, value: str, country):
        if country is not None and region.country_id != country.pk:
            raise CellInvalid(_("%(region)s is not a region of %(country)s.") % {"region": region, "country": country})
        return region


def in_languages_of(translate, name: str) -> list[str]:
    """An ISO name in every language of the interface (pycountry's translations)."""
    found = []
    for language in LANGUAGES:
        with translation.override(language):
            found.append(translate(name))
    return found


#: How many digits each country's municipality codes have (Peru: a province's 4, a district's 6).
MUNICIPALITY_CODE_DIGITS = {"CO": (5,), "PE": (4, 6), "PH": (10,)}


class Municipalities:
    """Municipalities as files name them: the official code (with the leading zeros a spreadsheet
    drops, 5001 for Medellín's 05001) or the name, accent- and case-blind ("Uribía", "URIBIA"), or as
    the site shows it ("Ilo (district)"); within a region, or a whole country for a row without one.
    One query per region or country a file names."""

    def __init__(self) -> None:
        self.places: dict[tuple[str, int], tuple[dict, dict]] = {}
        self.by_id: dict[int, object] = {}

    def _of(self, kind: str, place) -> tuple[dict, dict]:
        key = (kind, place.pk)
        if key not in self.places:
            from .models import Municipality

            if kind == "region":  # a Philippine region holds its provinces' municipalities too
                rows = Municipality.objects.filter(Q(region=place) | Q(region__parent=place))
            else:
                rows = Municipality.objects.filter(country=place)
            self._index(key, rows.select_related("region", "country"))
        return self.places[key]

    def _index(self, key: tuple, rows) -> None:
        by_code, by_name = {}, {}
        for row in rows:
            self.by_id[row.pk] = row
            by_code[row.code] = row
            for name in {row.name, *in_languages_of(str, row)}:
                by_name.setdefault(fold(name), []).append(row)
        self.places[key] = (by_code, by_name)

    def preload_countries(self, countries) -> None:
        """Read the countries' municipalities now (a COPY that streams rows cannot query meanwhile)."""
        from .models import Municipality

        rows: dict[int, list] = {country.pk: [] for country in countries}
        for row in Municipality.objects.filter(country__in=list(rows)).select_related("region", "country"):
            rows[row.country_id].append(row)
        for pk, found in rows.items():
            self._index(("country", pk), found)

    def find(self, text: str, *, region=None, country=None):
        """The municipality of `region` (or of `country`) a cell names."""
        value = text.strip()
        place = region if region is not None else country
        by_code, by_name = self._of("region" if region is not None else "country", place)
        if value.isdigit():
            country_code = next(iter(by_code.values())).country.code if by_code else ""
            digits = MUNICIPALITY_CODE_DIGITS.get(country_code, ())
            found = {by_code[code] for code in {value, *(value.zfill(n) for n in digits)} if code in by_code}
        else:
            found = set(by_name.get(fold(value), []))
        if not found:
            raise CellInvalid(
                _("“%(value)s” is not a municipality of %(place)s (its official code or its name).")
                % {"value": value, "place": place.display_name}
            )
        if len(found) > 1:
            raise CellInvalid(
                _("“%(value)s” is more than one municipality of %(place)s (%(codes)s): write its code.")
                % {"value": value, "place": place.display_name, "codes": ", ".join(sorted(m.code for m in found))}
            )
        return found.pop()
