"""Load the municipalities of the program's countries from the lists in countries/data/.

Shared by the data migration (which runs on every install, the test database's included, so it is one
`bulk_create` per country) and the `load_municipalities` command, which also brings an install up to
date with a newer list. Takes model classes as arguments because a migration must use its historical
models. countries/data/build_municipalities.py says where each list comes from.
"""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
COUNTRIES = ("CO", "PE", "PH")


def read_list(country_code: str) -> list[dict[str, str]]:
    """The rows of a country's list: code, name, kind and the ISO code of its region."""
    with open(DATA / f"municipalities_{country_code.lower()}.csv", encoding="utf-8", newline="") as file:
        return list(csv.DictReader(line for line in file if not line.startswith("#")))


def load_municipalities(country_model, region_model, municipality_model, codes=COUNTRIES) -> tuple[int, int]:
    """Create the missing municipalities and correct those whose name, kind or region changed;
    return how many were created and how many updated. A municipality no longer on a list is kept
    (rows may point at it)."""
    created = updated = 0
    for code in codes:
        country = country_model.objects.filter(code=code).first()
        if country is None:
            continue
        regions = dict(region_model.objects.filter(country=country).values_list("code", "pk"))
        existing = {row.code: row for row in municipality_model.objects.filter(country=country)}
        new, changed = [], []
        for line in read_list(code):
            values = {"name": line["name"], "kind": line["kind"], "region_id": regions[line["region"]]}
            row = existing.get(line["code"])
            if row is None:
                new.append(municipality_model(country=country, code=line["code"], **values))
            elif any(getattr(row, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(row, field, value)
                changed.append(row)
        municipality_model.objects.bulk_create(new, batch_size=1000)
        municipality_model.objects.bulk_update(changed, ["name", "kind", "region_id", "search_name"], batch_size=500)
        created += len(new)
        updated += len(changed)
    return created, updated
