"""Fill the database with a realistic, reproducible volume of data for benchmarks.

At `--stakeholders 50000` (the benchmark scale): 2,000 coalitions, 100,000 memberships
(one coalition has 5,000 members), 100,000 engagements, 20,000 assessments and 20,000
explorers. Every other volume scales with `--stakeholders`, so tests can seed a tiny
copy with the same shape. A fixed random seed makes two runs produce the same rows.

This is the project-level entry point that wires all apps, so it reaches their models
through the app registry rather than importing upwards from `core`.
"""

import datetime
import random
import time
from contextlib import contextmanager

from auditlog.context import disable_auditlog
from django.apps import apps
from django.core.management.base import CommandError
from django.db import connection, transaction

from core.bulk import bulk_insert
from core.management.base import RecordedCommand

BENCH_SCALE = 50_000

# Volumes per stakeholder, from the benchmark scale in the issue.
PER_STAKEHOLDER = {
    "coalitions": 2_000 / BENCH_SCALE,
    "memberships": 100_000 / BENCH_SCALE,
    "engagements": 100_000 / BENCH_SCALE,
    "assessments": 20_000 / BENCH_SCALE,
    "explorers": 20_000 / BENCH_SCALE,
    "big_coalition_members": 5_000 / BENCH_SCALE,
    "initiatives": 100 / BENCH_SCALE,
    "commitments": 6_000 / BENCH_SCALE,
    "outcomes": 2_000 / BENCH_SCALE,
    "relationships": 10_000 / BENCH_SCALE,
}

# Share of stakeholders per country: the program's two active countries and the exploration.
COUNTRY_SHARES = {"CO": 0.45, "PE": 0.40, "PH": 0.15}

ORG_PREFIXES = {
    "national_government": ["Ministerio de", "Agencia Nacional de", "Departamento Nacional de"],
    "subnational_government": ["Alcaldía de", "Gobernación de", "Gobierno Regional de", "Municipalidad de"],
    "oversight": ["Contraloría de", "Concejo de", "Defensoría de", "Consejo Regional de"],
    "civil_society": ["Fundación", "Asociación", "Corporación", "Red", "Observatorio"],
    "community": ["Junta de Acción Comunal", "Comité de Vecinos", "Cooperativa", "Comunidad"],
    "indigenous": ["Resguardo", "Cabildo", "Comunidad Campesina", "Asociación Indígena"],
    "private": ["Cámara de Comercio de", "Empresa", "Consorcio", "Grupo"],
    "extractive_energy": ["Minera", "Energía", "Solar", "Carbones", "Petrolera"],
    "academia": ["Universidad de", "Instituto de Investigación de", "Centro de Estudios de"],
    "international": ["Cooperación", "Programa", "Fondo"],
    "media": ["Radio", "Diario", "Canal", "Revista"],
    "other": ["Colectivo", "Iniciativa", "Plataforma"],
}
WORDS = [
    "Andina", "Wayuu", "del Sur", "Transparente", "Sostenible", "Verde", "del Norte", "Solidaria",
    "Minera", "Agua Viva", "Canon", "Futuro", "Progreso", "Territorio", "Desarrollo", "Horizonte",
    "Pacífico", "Caribe", "Sierra", "Amazonía", "Esperanza", "Unión", "Integral", "Popular",
    "Ciudadana", "Energética", "Rural", "Digital", "Regional", "Nacional", "Social", "Comunitaria",
]  # fmt: skip
FIRST_NAMES = [
    "Ana", "Luis", "María", "José", "Carmen", "Jorge", "Rosa", "Carlos", "Lucía", "Miguel", "Elena",
    "Juan", "Isabel", "Pedro", "Sofía", "Andrés", "Paula", "Diego", "Marisol", "Ramón", "Teresa",
]  # fmt: skip
LAST_NAMES = [
    "Pérez", "Rojas", "Gómez", "Quispe", "Mamani", "Epieyú", "Uriana", "Díaz", "Torres", "Flores",
    "Vargas", "Castro", "Ramos", "Santos", "Reyes", "Cruz", "Bautista", "Mendoza", "Huamán", "Ortiz",
]  # fmt: skip
TOPICS = ["Energy communities", "Mining revenue", "Water management", "Social listening", "Open budgets"]
TODAY = datetime.date(2026, 6, 30)  # fixed, so dates are reproducible too


def volumes(stakeholders: int) -> dict[str, int]:
    """How many rows of each kind `seed_scale --stakeholders N` creates (at least one of each)."""
    counts = {name: max(1, round(stakeholders * share)) for name, share in PER_STAKEHOLDER.items()}
    counts["stakeholders"] = stakeholders
    counts["initiatives"] = max(len(COUNTRY_SHARES), counts["initiatives"])
    counts["coalitions"] = max(counts["initiatives"], counts["coalitions"])
    counts["big_coalition_members"] = min(counts["big_coalition_members"], stakeholders)
    counts["memberships"] = max(counts["memberships"], counts["big_coalition_members"])
    return counts


def _day(rng: random.Random, days_back: int = 730) -> datetime.date:
    return TODAY - datetime.timedelta(days=rng.randrange(days_back))


class Command(RecordedCommand):
    help = "Seed a large, reproducible data set for benchmarks (an empty database is expected)."
    requires_system_checks = []  # like import_data: the URL, admin and schema checks say nothing about the rows

    def add_arguments(self, parser) -> None:
        parser.add_argument("--stakeholders", type=int, default=BENCH_SCALE, help="Scale; other volumes follow.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (fixed, for reproducible data).")

    def handle(self, *args, stakeholders: int, seed: int, **options) -> None:
        if stakeholders < 1:
            raise CommandError("--stakeholders must be at least 1.")
        if apps.get_model("stakeholders", "Stakeholder").objects.exists():
            raise CommandError("The database already has stakeholders; seed_scale expects an empty one.")
        started = time.monotonic()

        def log(message: str) -> None:
            self.stdout.write(f"{time.monotonic() - started:6.1f} s  {message}")
            self.stdout.flush()

        with transaction.atomic(), indexes_built_after(seeded_tables(), log):
            counts = seed_scale(stakeholders=stakeholders, seed=seed, log=log)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # fresh statistics, so the planner sees the new volume at once
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Seeded {summary} in {elapsed:.1f} s."))


def seeded_tables() -> list[str]:
    """The tables `seed_scale` fills: its models' (but the reference ones it reads) and their link tables."""
    tables = []
    for name, label in MODELS.items():
        if name in ("Country", "Region", "Topic"):
            continue
        model = apps.get_model(*label.split("."))
        tables.append(model._meta.db_table)
        tables += [f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many]
    return sorted(set(tables))


@contextmanager
def indexes_built_after(tables: list[str], log=lambda message: None):
    """On PostgreSQL, within the caller's transaction: drop the tables' secondary indexes, unique
    and foreign-key constraints, and create them again from their own definitions (read from the
    catalogue, so exactly as the migrations left them) once the rows are in.

    Building an index once over a million rows is several times cheaper than updating it a row at a
    time (the trigram GIN indexes most of all), and adding a foreign key checks every row in one
    join instead of a trigger per row. Primary keys and check constraints stay. A failure rolls the
    whole transaction back, the dropped definitions with it. Elsewhere: nothing to do.
    """
    if connection.vendor != "postgresql" or not tables:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
            FROM pg_constraint c
            WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
            ORDER BY c.contype DESC, c.conname
            """,
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition, _kind in reversed(constraints):  # foreign keys first
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        # Unique constraints first (ordered 'u' before 'f'): a foreign key may rely on one.
        for table, name, definition, _kind in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    log(f"{len(indexes)} indexes and {len(constraints)} constraints built in {time.monotonic() - started:.1f} s")


# Not recorded in the history: the rows are synthetic benchmark data, and recording every one
# of them would cost the benchmark's set-up many times what seeding does (bench/README.md).
@disable_auditlog()
def seed_scale(
    *, stakeholders: int, seed: int = 2026, serial_from: int = 0, log=lambda message: None
) -> dict[str, int]:
    """Create the rows; return how many of each kind were created.

    `serial_from` numbers the unique names and addresses from there, so a second call adds a
    data set next to the first (the query budgets compare two sizes of data that way).
    """
    m = {name: apps.get_model(*label.split(".")) for name, label in MODELS.items()}
    rng = random.Random(seed)
    want = volumes(stakeholders)
    countries = {c.code: c for c in m["Country"].objects.filter(code__in=COUNTRY_SHARES)}
    if len(countries) != len(COUNTRY_SHARES):
        raise CommandError("The program countries are missing; run migrations first.")
    regions_by_country: dict[int, list[int]] = {c.pk: [] for c in countries.values()}
    for pk, country_id in m["Region"].objects.filter(country__in=countries.values()).values_list("pk", "country"):
        regions_by_country[country_id].append(pk)
    country_codes = list(COUNTRY_SHARES)
    country_weights = list(COUNTRY_SHARES.values())
    sectors = list(ORG_PREFIXES)
    levels = ["local", "subnational", "national", "international"]

    # Stakeholders: names are unique (a serial number), like real registries with homonyms told apart.
    # Organisations go in first so that people can name the organisation they belong to.
    organisations, people = [], []
    for i in range(serial_from, serial_from + stakeholders):
        country = countries[rng.choices(country_codes, country_weights)[0]]
        sector = rng.choice(sectors)
        is_person = rng.random() < 0.2
        if is_person:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)} {i}"
        else:
            name = f"{rng.choice(ORG_PREFIXES[sector])} {rng.choice(WORDS)} {rng.choice(WORDS)} {i}"
        (people if is_person else organisations).append(
            m["Stakeholder"](
                kind="person" if is_person else "organisation",
                name=name,
                acronym="" if is_person else "".join(word[0] for word in name.split()[:3]).upper(),
                sector=sector,
                level=rng.choice(levels),
                country=country,
                description=f"{name}: actor seeded for benchmarks.",
            )
        )
    created = bulk_insert(m["Stakeholder"], organisations)
    # Related rows as objects, not ids: each row's `clean()` (bulk_insert runs it) then reads them without a query.
    orgs_by_country: dict[int, list] = {}
    for org in created:
        orgs_by_country.setdefault(org.country_id, []).append(org)
    for person in people:
        if orgs_by_country.get(person.country_id):
            person.organisation = rng.choice(orgs_by_country[person.country_id])
    created += bulk_insert(m["Stakeholder"], people)
    by_country: dict[int, list[int]] = {c.pk: [] for c in countries.values()}
    for stakeholder in created:
        by_country[stakeholder.country_id].append(stakeholder.pk)
    stakeholder_ids = [s.pk for s in created]
    stakeholder_by_id = {s.pk: s for s in created}
    through = m["Stakeholder"].regions.through
    bulk_insert(
        through,
        (
            through(stakeholder_id=s.pk, region_id=rng.choice(regions_by_country[s.country_id]))
            for s in created
            if regions_by_country[s.country_id]
        ),
    )
    log(f"{len(created):,} stakeholders")

    # Initiatives and coalitions, spread over the countries like the stakeholders.
    initiatives = bulk_insert(
        m["Initiative"],
        [
            m["Initiative"](
                country=countries[country_codes[i % len(country_codes)]],
                level=rng.choice(["national", "subnational"]),
                name=f"Iniciativa {i + 1}: {rng.choice(WORDS)} {rng.choice(WORDS)}",
                shared_objective="Better use of public resources, agreed by actors who disagree on much else.",
                phase=rng.choice(["exploring", "coalition_building", "implementation", "sustaining"]),
                is_public=rng.random() < 0.5,
            )
            for i in range(want["initiatives"])
        ],
    )
    coalitions = bulk_insert(
        m["Coalition"],
        [
            m["Coalition"](
                initiative=initiatives[i % len(initiatives)],
                name=f"Coalición {rng.choice(WORDS)} {i + 1}",
                level=rng.choice(["national", "subnational", "local"]),
                shared_goal="A shared goal that every member signed up to.",
                status=rng.choice(["forming", "active", "active", "sustaining", "dormant"]),
                formed_on=_day(rng),
                is_public=rng.random() < 0.3,
            )
            for i in range(want["coalitions"])
        ],
    )
    log(f"{len(initiatives):,} initiatives, {len(coalitions):,} coalitions")

    # Memberships: the first coalition is the big one; the rest share the remaining rows.
    big = coalitions[0]
    big_pool = by_country[big.initiative.country_id] or stakeholder_ids
    big_members = rng.sample(big_pool, min(want["big_coalition_members"], len(big_pool)))
    pairs: set[tuple[int, int]] = {(big.pk, s) for s in big_members}
    others = coalitions[1:] or coalitions
    attempts = 0
    while len(pairs) < want["memberships"] and attempts < want["memberships"] * 3:
        attempts += 1
        coalition = rng.choice(others)
        pool = by_country[coalition.initiative.country_id] or stakeholder_ids
        pairs.add((coalition.pk, rng.choice(pool)))
    roles = ["member"] * 6 + ["convener", "facilitator", "champion", "observer"]
    memberships = []
    for coalition_id, stakeholder_id in sorted(pairs):
        joined = _day(rng)
        left = joined + datetime.timedelta(days=rng.randrange(1, 200)) if rng.random() < 0.1 else None
        memberships.append(
            m["Membership"](
                coalition_id=coalition_id,
                stakeholder_id=stakeholder_id,
                role=rng.choice(roles),
                joined_on=joined,
                left_on=left if left and left <= TODAY else None,
            )
        )
    bulk_insert(m["Membership"], memberships)
    log(f"{len(memberships):,} memberships ({len(big_members):,} in {big.name})")

    # Commitments and outcomes: a few per coalition.
    bulk_insert(
        m["Commitment"],
        (
            m["Commitment"](
                coalition=(coalition := rng.choice(coalitions)),
                owner=stakeholder_by_id[rng.choice(by_country[coalition.initiative.country_id] or stakeholder_ids)],
                description=f"Commitment {i + 1}: publish the {rng.choice(WORDS).lower()} plan",
                due_on=_day(rng, 365) + datetime.timedelta(days=180),
                status=rng.choice(["planned", "in_progress", "done", "dropped"]),
            )
            for i in range(want["commitments"])
        ),
    )
    bulk_insert(
        m["Outcome"],
        (
            m["Outcome"](
                coalition=rng.choice(coalitions),
                description=f"Outcome {i + 1}: an actor changed its practice",
                change_type=rng.choice(["behaviour", "relationship", "policy", "practice"]),
                observed_on=_day(rng),
            )
            for i in range(want["outcomes"])
        ),
    )

    # Engagements, each with one participant drawn from the coalition's country.
    kinds = ["meeting", "workshop", "dialogue", "call", "field_visit", "email"]
    engagement_coalitions = [rng.choice(coalitions) for _ in range(want["engagements"])]
    engagements = bulk_insert(
        m["Engagement"],
        (
            m["Engagement"](
                coalition=coalition,
                occurred_on=_day(rng),
                kind=rng.choice(kinds),
                title=f"{rng.choice(['Taller', 'Reunión', 'Diálogo', 'Visita'])} {rng.choice(WORDS)} {i + 1}",
                summary="What was discussed and agreed.",
            )
            for i, coalition in enumerate(engagement_coalitions)
        ),
    )
    participants = m["Engagement"].participants.through
    bulk_insert(
        participants,
        (
            participants(
                engagement_id=e.pk,
                stakeholder_id=rng.choice(by_country[c.initiative.country_id] or stakeholder_ids),
            )
            for e, c in zip(engagements, engagement_coalitions, strict=True)
        ),
    )
    log(f"{len(engagements):,} engagements")

    # Assessments: an actor in an initiative of its own country, on one of a few review dates.
    initiative_by_id = {initiative.pk: initiative for initiative in initiatives}
    initiatives_by_country: dict[int, list] = {}
    for initiative in initiatives:
        initiatives_by_country.setdefault(initiative.country_id, []).append(initiative.pk)
    review_dates = [TODAY - datetime.timedelta(days=90 * q) for q in range(8)]
    triples: set[tuple[int, int, datetime.date]] = set()
    attempts = 0
    while len(triples) < want["assessments"] and attempts < want["assessments"] * 3:
        attempts += 1
        country_id = rng.choice(list(initiatives_by_country))
        if not by_country[country_id]:
            continue
        triples.add(
            (
                rng.choice(by_country[country_id]),
                rng.choice(initiatives_by_country[country_id]),
                rng.choice(review_dates),
            )
        )
    bulk_insert(
        m["Assessment"],
        (
            m["Assessment"](
                stakeholder=stakeholder_by_id[stakeholder_id],
                initiative=initiative_by_id[initiative_id],
                assessed_on=assessed_on,
                power=rng.randint(1, 5),
                capabilities=rng.randint(1, 5),
                interest=rng.randint(1, 5),
                stance=rng.randint(-2, 2),
            )
            for stakeholder_id, initiative_id, assessed_on in sorted(triples)
        ),
    )
    log(f"{len(triples):,} assessments")

    # Governance Explorers with one interest each; emails are unique by construction.
    topics = [
        m["Topic"].objects.get_or_create(slug=t.lower().replace(" ", "-"), defaults={"name": t})[0] for t in TOPICS
    ]
    explorer_rows = []
    for i in range(serial_from, serial_from + want["explorers"]):
        # Four in five active, five in eight Spanish-speaking, on a fixed pattern rather than at
        # random: exactly half of them (10,000 at the benchmark scale) are a Spanish campaign's audience.
        active = i % 5 != 4
        confirmed = datetime.datetime.combine(_day(rng), datetime.time(12), tzinfo=datetime.UTC) if active else None
        explorer_rows.append(
            m["Explorer"](
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email=f"explorer{i}@example.org",
                country=rng.choice(["CO", "PE", "PH", "MX", "KE", "ID", "GB"]),
                preferred_language="es" if i % 8 < 5 else "en",
                status="active" if active else "pending",
                confirmed_at=confirmed,
                consent_given_at=confirmed,
                consent_text_version="1" if active else "",
                consent_source="signup form" if active else "",
            )
        )
    explorers = bulk_insert(m["Explorer"], explorer_rows)
    # The campaign sender reads the ledger, not the status column: each active explorer gave
    # consent and confirmed the address, as the join form and the link would have recorded.
    event = m["ConsentEvent"]
    bulk_insert(
        event,
        (
            event(
                explorer_id=e.pk,
                action=action,
                text_version="1" if action == "grant" else "",
                source=source,
                occurred_at=e.confirmed_at,
            )
            for e in explorers
            if e.status == "active"
            for action, source in (("grant", "join_form"), ("confirm", "confirmation_link"))
        ),
    )
    interests = m["Explorer"].interests.through
    bulk_insert(interests, (interests(explorer_id=e.pk, topic_id=rng.choice(topics).pk) for e in explorers))
    log(f"{len(explorers):,} explorers")

    # Drawn from a random stream of their own, so that the rows above stay what they were.
    extra = random.Random(seed + 1)
    linked = _link_local_coalitions(extra, coalitions)
    relationships = _relationships(extra, m["Relationship"], by_country, want["relationships"])
    log(f"{linked:,} local coalitions linked to a national one, {relationships:,} relationships")

    return {
        "stakeholders": len(created),
        "initiatives": len(initiatives),
        "coalitions": len(coalitions),
        "memberships": len(memberships),
        "engagements": len(engagements),
        "assessments": len(triples),
        "explorers": len(explorers),
        "linked_coalitions": linked,
        "relationships": relationships,
    }


def _link_local_coalitions(rng: random.Random, coalitions: list) -> int:
    """Link about half of each initiative's other coalitions to its first national coalition, so
    that national coalition pages, roll-ups and reports have local coalitions to roll up."""
    if not coalitions:
        return 0
    by_initiative: dict[int, list] = {}
    # The big coalition (the first) stays unlinked: the coalition page's scenario measures its size alone.
    for coalition in coalitions[1:]:
        by_initiative.setdefault(coalition.initiative_id, []).append(coalition)
    table = coalitions[0]._meta.db_table
    linked = 0
    with connection.cursor() as cursor:
        for members in by_initiative.values():
            national = next((c for c in members if c.level == "national"), None)
            if national is None:
                continue
            children = [c.pk for c in members if c.pk != national.pk and c.level != "national" and rng.random() < 0.5]
            for start in range(0, len(children), 500):
                chunk = children[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"UPDATE {table} SET parent_id = %s WHERE id IN ({marks})", [national.pk, *chunk])  # noqa: S608
            linked += len(children)
    return linked


def _relationships(rng: random.Random, model, by_country: dict[int, list[int]], wanted: int) -> int:
    """Typed ties between stakeholders of the same country (the relationship network's edges)."""
    countries = [country for country, ids in by_country.items() if len(ids) > 1]
    if not countries:
        return 0
    kinds = [kind for kind, _label in model.Kind.choices]
    weights = [len(by_country[country]) for country in countries]
    triples: set[tuple[int, int, str]] = set()
    attempts = 0
    while len(triples) < wanted and attempts < wanted * 3:
        attempts += 1
        source, target = rng.sample(by_country[rng.choices(countries, weights)[0]], 2)
        triples.add((source, target, rng.choice(kinds)))
    bulk_insert(
        model,
        (
            model(source_id=source, target_id=target, kind=kind, strength=rng.randint(1, 3), since=_day(rng))
            for source, target, kind in sorted(triples)
        ),
    )
    return len(triples)


MODELS = {
    "Country": "countries.Country",
    "Region": "countries.Region",
    "Stakeholder": "stakeholders.Stakeholder",
    "Relationship": "stakeholders.Relationship",
    "Initiative": "coalitions.Initiative",
    "Coalition": "coalitions.Coalition",
    "Membership": "coalitions.Membership",
    "Commitment": "coalitions.Commitment",
    "Outcome": "coalitions.Outcome",
    "Engagement": "coalitions.Engagement",
    "Assessment": "coalitions.Assessment",
    "Topic": "explorers_network.Topic",
    "Explorer": "explorers_network.Explorer",
    "ConsentEvent": "explorers_network.ConsentEvent",
}
