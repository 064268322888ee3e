"""Demo data: Moquegua's and Cajamarca's development plans, SAMPLE canon transfers and budget execution,
and three Philippine entry-point candidates. Idempotent: rows are found by their natural keys.

The transfer and budget figures are illustrative sample figures (flagged `is_sample` and labelled on
every page), not official data. Initiatives are created by `coalitions.demo`; they are linked here by
name when they exist, and skipped quietly when they do not.
"""

import datetime
from pathlib import Path

from django.apps import apps

from core.validation import get_or_create_valid, save_valid, update_or_create_valid
from countries.models import Country, Region
from stakeholders.models import Stakeholder

from .importers import resources_import
from .models import DevelopmentPlan, EntryPoint, PlanObjective

SAMPLE_DATA = Path(__file__).parent / "sample_data"

PLANS = {
    "PE-MOQ": {
        "name": "Plan de Desarrollo Regional Concertado de Moquegua",
        "initiative": "Plan de Desarrollo Regional Concertado de Moquegua",
        "objectives": [
            ("OER1", "Mejorar los logros de aprendizaje de los estudiantes"),
            ("OER2", "Asegurar el acceso a agua segura y la gestión integrada de los recursos hídricos"),
            ("OER3", "Reducir la anemia y la desnutrición crónica infantil"),
            ("OER4", "Diversificar la economía regional: agroexportación y turismo"),
            ("OER5", "Fortalecer la gobernanza y la transparencia en el uso del canon minero"),
        ],
    },
    "PE-CAJ": {
        "name": "Plan de Desarrollo Regional Concertado de Cajamarca",
        "initiative": "Plan de Desarrollo Regional Concertado de Cajamarca",
        "objectives": [
            ("OER1", "Mejorar la calidad de la educación básica"),
            ("OER2", "Ampliar el acceso a agua y saneamiento en zonas rurales"),
            ("OER3", "Reducir la desnutrición crónica infantil"),
            ("OER4", "Fortalecer las cadenas productivas agropecuarias"),
            ("OER5", "Promover la escucha social y la vigilancia ciudadana del canon"),
        ],
    },
}

PH_ENTRY_POINTS = [
    {
        "title": "Sharing of mining revenue with host local governments in Caraga",
        "regions": ["PH-13", "PH-SUN"],
        "challenge": "Host municipalities and barangays receive their national wealth share late and cannot see "
        "how it is computed, so communities near the nickel mines see little benefit.",
        "opportunity": "The provincial government and PH-EITI are willing to publish the shares; mining "
        "companies want a predictable local agreement.",
        "scores": (4, 4, 4),
        "status": EntryPoint.Status.UNDER_ANALYSIS,
    },
    {
        "title": "Community-based watershed governance in Benguet",
        "regions": ["PH-15", "PH-BEN"],
        "challenge": "Small-scale mining, vegetable farming and water utilities compete for the same rivers; "
        "no forum brings the indigenous councils, miners and the water district together.",
        "opportunity": "A new provincial water code is being drafted and asks for multistakeholder input.",
        "scores": (3, 4, 3),
        "status": EntryPoint.Status.CANDIDATE,
    },
    {
        "title": "Local disaster-risk funds in Eastern Visayas",
        "regions": ["PH-08", "PH-LEY"],
        "challenge": "Barangays under-use their disaster-risk reduction funds and plan without the people "
        "most exposed to typhoons.",
        "opportunity": "Several donors already work on this; the program's added value is unclear.",
        "scores": (4, 3, 2),
        "status": EntryPoint.Status.CANDIDATE,
    },
]


def load(stdout) -> None:
    plans = _load_plans(stdout)
    for kind, filename in (("flows", "resource_flows.csv"), ("execution", "budget_execution.csv")):
        report = resources_import(kind=kind, text=(SAMPLE_DATA / filename).read_text("utf-8"), dry_run=False)
        if not report.ok:  # the sample files ship with the code; a failure here is a bug
            raise RuntimeError(f"{filename}: {report.errors[:3]}")
        stdout.write(f"planning: {filename}: {report.created} new, {report.updated} changed (sample figures)")
    _link_initiatives(plans, stdout)
    _load_entry_points(stdout)


def _load_plans(stdout) -> dict[str, DevelopmentPlan]:
    plans = {}
    for code, spec in PLANS.items():
        region = Region.objects.get(code=code)
        plan, _ = update_or_create_valid(
            DevelopmentPlan,
            country=region.country,
            name=spec["name"],
            defaults={"region": region, "level": DevelopmentPlan.Level.REGIONAL, "start_year": 2021, "end_year": 2030},
        )
        for objective_code, title in spec["objectives"]:
            update_or_create_valid(PlanObjective, plan=plan, code=objective_code, defaults={"title": title})
        plans[code] = plan
    stdout.write(f"planning: {len(plans)} development plans")
    return plans


def _link_initiatives(plans: dict[str, DevelopmentPlan], stdout) -> None:
    Initiative = apps.get_model("coalitions", "Initiative")  # coalitions sits above this app
    for code, spec in PLANS.items():
        initiative = Initiative.objects.filter(country=plans[code].country, name=spec["initiative"]).first()
        if initiative is None:
            stdout.write(f"planning: no initiative named {spec['initiative']!r}; not linked")
            continue
        objectives = set(plans[code].objectives.all())
        for row in (initiative, *initiative.coalitions.all()):
            linked = set(row.objectives.all())
            if not objectives <= linked:
                save_valid(row, m2m={"objectives": linked | objectives})


def _load_entry_points(stdout) -> None:
    philippines = Country.objects.get(code="PH")
    for spec in PH_ENTRY_POINTS:
        feasibility, impact, added_value = spec["scores"]
        get_or_create_valid(
            EntryPoint,
            country=philippines,
            title=spec["title"],
            defaults={
                "challenge": spec["challenge"],
                "opportunity": spec["opportunity"],
                "feasibility": feasibility,
                "impact": impact,
                "added_value": added_value,
                "status": spec["status"],
                "analysed_on": datetime.date(2026, 9, 15),
            },
            m2m={
                "regions": Region.objects.filter(code__in=spec["regions"]),
                "stakeholders": Stakeholder.objects.filter(
                    country=philippines, regions__code__in=spec["regions"]
                ).distinct(),
            },
        )
    stdout.write(f"planning: {len(PH_ENTRY_POINTS)} Philippine entry points")
