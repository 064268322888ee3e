"""Data the benchmark writes: a stakeholder CSV as staff would upload it."""

import random

from core.management.commands.seed_scale import ORG_PREFIXES, WORDS

IMPORT_HEADER = "name,acronym,kind,sector,level,country,regions,website,description\n"
REGIONS = {"CO": ["CO-LAG", "CO-CES", "CO-ANT", "CO-BOY"], "PE": ["PE-MOQ", "PE-CAJ", "PE-ARE"], "PH": ["PH-00"]}


def stakeholder_csv(rows: int, *, prefix: str = "Importado", seed: int = 7) -> str:
    """A valid import file of `rows` stakeholders whose names start with `prefix` (so they can be removed)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not secrets
    lines = [IMPORT_HEADER]
    for i in range(rows):
        country = rng.choice(["CO", "CO", "PE", "PE", "PH"])
        sector = rng.choice(list(ORG_PREFIXES))
        name = f"{prefix} {rng.choice(ORG_PREFIXES[sector])} {rng.choice(WORDS)} {i}"
        region = rng.choice(REGIONS[country])
        lines.append(
            f'"{name}",IMP{i},organisation,{sector},{rng.choice(["local", "subnational", "national"])},'
            f'{country},{region},https://example.org/actors/{i},"Imported, with a comma in the description"\n'
        )
    return "".join(lines)
