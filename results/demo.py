"""Demo indicators, with SAMPLE values: the Peruvian plans' objectives, and energy communities in
La Guajira and Cesar for Colombia's Comunidades Energéticas initiative. Idempotent.

The Colombian indicators hang off the initiative created by `coalitions.demo`; when it does not
exist they are skipped, not invented.
"""

import datetime
from decimal import Decimal

from coalitions.models import Initiative
from core.validation import update_or_create_valid
from countries.models import Region
from planning.models import PlanObjective

from .models import Direction, Indicator, IndicatorValue

SOURCE = "Sample figure, not official"

# (region, objective code, name, unit, direction, baseline, target, {year: value})
PLAN_INDICATORS = [
    (
        "PE-MOQ",
        "OER1",
        "Estudiantes de 2.º de secundaria con nivel satisfactorio en lectura",
        "%",
        "increase",
        30,
        50,
        {2022: 32, 2023: 37, 2024: 41},
    ),
    ("PE-MOQ", "OER2", "Hogares con acceso a agua segura", "%", "increase", 78, 95, {2022: 79, 2023: 81, 2024: 82}),
    (
        "PE-MOQ",
        "OER3",
        "Anemia en niñas y niños de 6 a 35 meses",
        "%",
        "decrease",
        35,
        20,
        {2022: 34, 2023: 31, 2024: 28},
    ),
    (
        "PE-MOQ",
        "OER5",
        "Proyectos del canon con información pública de avance",
        "%",
        "increase",
        20,
        100,
        {2023: 35, 2024: 60},
    ),
    (
        "PE-CAJ",
        "OER2",
        "Centros poblados rurales con agua clorada",
        "%",
        "increase",
        25,
        60,
        {2022: 27, 2023: 29, 2024: 30},
    ),
    (
        "PE-CAJ",
        "OER3",
        "Desnutrición crónica infantil en menores de 5 años",
        "%",
        "decrease",
        26,
        15,
        {2022: 25, 2023: 23, 2024: 21},
    ),
]

# Energy communities per department: (region, name, unit, baseline, target, {year: value})
ENERGY_INDICATORS = [
    (
        "CO-LAG",
        "Comunidades energéticas conformadas en La Guajira",
        "communities",
        0,
        400,
        {2023: 25, 2024: 90, 2025: 170},
    ),
    (
        "CO-LAG",
        "Hogares conectados a una comunidad energética en La Guajira",
        "households",
        0,
        12000,
        {2024: 900, 2025: 2600},
    ),
    ("CO-CES", "Comunidades energéticas conformadas en Cesar", "communities", 0, 250, {2023: 10, 2024: 28, 2025: 45}),
    ("CO-CES", "Hogares conectados a una comunidad energética en Cesar", "households", 0, 7000, {2024: 300, 2025: 700}),
]


def _values(indicator: Indicator, values: dict[int, int]) -> None:
    for year, value in values.items():
        update_or_create_valid(
            IndicatorValue,
            indicator=indicator,
            period_end=datetime.date(year, 12, 31),
            defaults={"value": Decimal(value), "source": SOURCE},
        )


def load(stdout) -> None:
    created = 0
    for region_code, objective_code, name, unit, direction, baseline, target, values in PLAN_INDICATORS:
        objective = PlanObjective.objects.filter(plan__region__code=region_code, code=objective_code).first()
        if objective is None:
            continue
        indicator, was_created = update_or_create_valid(
            Indicator,
            objective=objective,
            name=name,
            defaults={
                "region": Region.objects.get(code=region_code),
                "unit": unit,
                "direction": Direction(direction),
                "baseline_value": Decimal(baseline),
                "baseline_year": 2021,
                "target_value": Decimal(target),
                "target_year": 2030,
            },
        )
        created += was_created
        _values(indicator, values)
    energy = Initiative.objects.filter(country__code="CO", name="Comunidades Energéticas").first()
    if energy is None:
        stdout.write("results: no initiative named 'Comunidades Energéticas'; energy indicators skipped")
    else:
        for region_code, name, unit, baseline, target, values in ENERGY_INDICATORS:
            indicator, was_created = update_or_create_valid(
                Indicator,
                initiative=energy,
                name=name,
                defaults={
                    "region": Region.objects.get(code=region_code),
                    "unit": unit,
                    "direction": Direction.INCREASE,
                    "baseline_value": Decimal(baseline),
                    "baseline_year": 2022,
                    "target_value": Decimal(target),
                    "target_year": 2026,
                },
            )
            created += was_created
            _values(indicator, values)
    stdout.write(f"results: {created} new indicators (sample values)")
