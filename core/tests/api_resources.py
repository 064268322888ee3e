"""Per resource: a fresh Colombian row to act on, a valid body to create or replace one, and a small change.

Used by the permission matrix, the query-count tests and the leak tests, so every route is
exercised the same way. Rows are Colombian: `staff-co` owns them, `staff-pe` does not,
`partner-co` sees the coalition parts (its organisation is a member), `partner-pe` sees none.
"""

import datetime
import itertools
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.routers import SimpleRouter

from attachments.api.urls import router as attachments_router
from attachments.services import attachments_create
from coalitions.api.urls import router as coalitions_router
from coalitions.models import (
    Assessment,
    Coalition,
    Commitment,
    Engagement,
    Initiative,
    LearningNote,
    Membership,
    Outcome,
)
from countries.api.urls import router as countries_router
from countries.models import Country, Municipality, Region
from explorers_network.api.urls import router as explorers_router
from explorers_network.models import Explorer
from planning.api.urls import router as planning_router
from planning.models import BudgetExecution, DevelopmentPlan, EntryPoint, PlanObjective, ResourceFlow
from results.api.urls import router as results_router
from results.models import Indicator, IndicatorValue
from stakeholders.api.urls import router as stakeholders_router
from stakeholders.models import Contact, Relationship, Stakeholder
from trends.api.urls import router as trends_router
from trends.models import CoalitionHealthSnapshot, NetworkSnapshot

ROUTERS: list[SimpleRouter] = [
    countries_router,
    attachments_router,
    stakeholders_router,
    coalitions_router,
    explorers_router,
    planning_router,
    results_router,
    trends_router,
]
DAY = datetime.date(2026, 2, 1)
_serial = itertools.count(1)


def serial() -> int:
    """A fresh number, so `make` can be called many times in one test without breaking unique rules."""
    return next(_serial)


def new_stakeholder(world, name="Cooperativa Solar Wayuu", member=False) -> Stakeholder:
    stakeholder = Stakeholder.objects.create(country=world.co, name=name, sector="community", level="local")
    if member:
        Membership.objects.create(coalition=world.co_coalition, stakeholder=stakeholder, joined_on=DAY)
    return stakeholder


@dataclass(frozen=True)
class Resource:
    make: Callable[[Any], Any]
    body: Callable[[Any], dict]
    change: dict
    #: How the body is sent: JSON, or multipart for the one endpoint that takes a file.
    format: str = "json"


def _country(world) -> Country:
    n = serial()
    code = "X" + string.ascii_uppercase[n % 26] if n < 26 else "Y" + string.ascii_uppercase[n % 26]
    country = Country.objects.create(code=code, name=f"Xcountry {n}")
    world.staff_co.country_teams.add(country)
    return country


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _attachment(world):
    """A file on the Colombian commitment partner-co's organisation owns."""
    upload = SimpleUploadedFile("acta.pdf", PDF)
    return attachments_create(
        target=world.co_commitment, uploads=[upload], kind="agreement", title="", user=world.staff_co
    )[0]


RESOURCES: dict[str, Resource] = {
    "attachment": Resource(
        make=_attachment,
        body=lambda w: {
            "target_type": "coalitions.commitment",
            "target_id": w.co_commitment.pk,
            "kind": "agreement",
            "file": SimpleUploadedFile("acta-firmada.pdf", PDF),
        },
        change={},
        format="multipart",
    ),
    "country": Resource(
        make=_country,
        body=lambda w: {"code": "XD", "name": "Xdland", "status": "exploring", "summary": ""},
        change={"summary": "Changed"},
    ),
    # A country's roll-up (coalitions' router): Colombia, where partner-co's organisation is a member.
    "country-rollup": Resource(make=lambda w: w.co, body=lambda w: {}, change={}),
    "region": Resource(
        make=lambda w: Region.objects.create(
            country=w.co, name=f"Uribia {serial()}", kind="municipality", parent=w.guajira
        ),
        body=lambda w: {"country": w.co.pk, "name": "Manaure", "kind": "municipality", "parent": w.guajira.pk},
        change={"name": "Uribia (municipio)"},
    ),
    "municipality": Resource(
        make=lambda w: Municipality.objects.create(
            country=w.co, region=w.guajira, code=f"44{serial() % 1000:03d}9", name="Uribia (anexo)"
        ),
        body=lambda w: {"country": w.co.pk, "region": w.guajira.pk, "code": "449999", "name": "Manaure Nuevo"},
        change={"name": "Uribia (nombre corregido)"},
    ),
    "stakeholder": Resource(
        make=lambda w: new_stakeholder(w, member=True),
        body=lambda w: {
            "name": "Universidad de La Guajira",
            "sector": "academia",
            "level": "subnational",
            "country": w.co.pk,
            "kind": "organisation",
            "regions": [w.guajira.pk],
        },
        change={"acronym": "CSW"},
    ),
    "contact": Resource(
        make=lambda w: Contact.objects.create(stakeholder=w.co_org, name="Rosa Epiayú", email="rosa@example.org"),
        body=lambda w: {"stakeholder": w.co_mayor.pk, "name": "Juan Uriana", "email": "juan@example.org"},
        change={"position": "Coordinator"},
    ),
    "relationship": Resource(
        make=lambda w: Relationship.objects.create(source=w.co_org, target=new_stakeholder(w), kind="alliance"),
        body=lambda w: {"source": w.co_mayor.pk, "target": w.co_org.pk, "kind": "conflict", "strength": 3},
        change={"strength": 1},
    ),
    "initiative": Resource(
        make=lambda w: Initiative.objects.create(
            country=w.co, level="subnational", name="Transición en el Cesar", shared_objective="Just transition"
        ),
        body=lambda w: {
            "country": w.co.pk,
            "level": "subnational",
            "name": "Agua para Uribia",
            "shared_objective": "Water",
            "regions": [w.guajira.pk],
        },
        change={"phase": "implementation"},
    ),
    "assessment": Resource(
        make=lambda w: Assessment.objects.create(
            stakeholder=w.co_mayor,
            initiative=w.co_initiative,
            assessed_on=DAY + datetime.timedelta(days=serial()),
            power=4,
            capabilities=3,
            interest=4,
        ),
        body=lambda w: {
            "stakeholder": w.co_org.pk,
            "initiative": w.co_initiative.pk,
            "assessed_on": "2026-03-01",
            "power": 2,
            "capabilities": 3,
            "interest": 5,
            "stance": 2,
        },
        change={"stance": 1},
    ),
    "coalition": Resource(
        make=lambda w: _member_coalition(w),
        body=lambda w: {
            "initiative": w.co_initiative.pk,
            "name": "Coalición Cesar",
            "level": "local",
            "shared_goal": "Jobs after coal",
            "regions": [],
        },
        change={"status": "active"},
    ),
    "membership": Resource(
        make=lambda w: Membership.objects.create(
            coalition=w.co_coalition, stakeholder=new_stakeholder(w), joined_on=DAY
        ),
        body=lambda w: {
            "coalition": w.co_coalition.pk,
            "stakeholder": new_stakeholder(w, "Otro actor").pk,
            "role": "observer",
            "joined_on": "2026-02-02",
        },
        change={"role": "champion"},
    ),
    "commitment": Resource(
        make=lambda w: Commitment.objects.create(coalition=w.co_coalition, owner=w.co_org, description="Survey roofs"),
        body=lambda w: {
            "coalition": w.co_coalition.pk,
            "owner": w.co_org.pk,
            "description": "Train installers",
            "status": "planned",
            "evidence": "",
        },
        change={"status": "done", "evidence": "Report published"},
    ),
    "engagement": Resource(
        make=lambda w: Engagement.objects.create(coalition=w.co_coalition, occurred_on=DAY, kind="call", title="Call"),
        body=lambda w: {
            "coalition": w.co_coalition.pk,
            "occurred_on": "2026-02-03",
            "kind": "workshop",
            "title": "Taller Manaure",
            "participants": [w.co_org.pk, w.co_mayor.pk],
        },
        change={"summary": "Agreed next steps"},
    ),
    "outcome": Resource(
        make=lambda w: Outcome.objects.create(
            coalition=w.co_coalition, description="School installs panels", observed_on=DAY
        ),
        body=lambda w: {
            "coalition": w.co_coalition.pk,
            "description": "Mayor signs decree",
            "observed_on": "2026-02-04",
            "change_type": "policy",
            "actors": [w.co_mayor.pk],
        },
        change={"significance": "First decree of its kind"},
    ),
    "learningnote": Resource(
        make=lambda w: LearningNote.objects.create(coalition=w.co_coalition, title="Lesson", body="What we learnt"),
        body=lambda w: {
            "coalition": w.co_coalition.pk,
            "title": "Listening first",
            "body": "Start with listening",
            "shared_with": [],
        },
        change={"title": "Listening first, always"},
    ),
    "explorer": Resource(
        make=lambda w: Explorer.objects.create(
            name="Maria Explorer", email=f"maria{serial()}@example.org", country="CO"
        ),
        body=lambda w: {"name": "Pedro Explorer", "email": "pedro@example.org", "country": "CO", "interests": []},
        change={"organisation": "Universidad"},
    ),
    "entrypoint": Resource(
        make=lambda w: EntryPoint.objects.create(
            country=w.co,
            title=f"Regalías en La Guajira {serial()}",
            challenge="Royalties",
            feasibility=3,
            impact=4,
            added_value=3,
        ),
        body=lambda w: {
            "country": w.co.pk,
            "regions": [w.guajira.pk],
            "title": "Transición en el Cesar",
            "challenge": "Jobs after coal",
            "stakeholders": [w.co_mayor.pk],
            "feasibility": 4,
            "impact": 5,
            "added_value": 3,
            "status": "candidate",
        },
        change={"status": "under_analysis"},
    ),
    "developmentplan": Resource(
        make=lambda w: _plan(w, f"Plan La Guajira {serial()}"),
        body=lambda w: {
            "country": w.co.pk,
            "region": w.guajira.pk,
            "level": "regional",
            "name": "Plan de Desarrollo de La Guajira",
            "start_year": 2024,
            "end_year": 2027,
        },
        change={"source_url": "https://example.org/plan.pdf"},
    ),
    "planobjective": Resource(
        make=lambda w: PlanObjective.objects.create(plan=_plan(w), code=f"OE{serial()}", title="Agua"),
        body=lambda w: {"plan": _plan(w, "Plan Cesar").pk, "code": "OE2", "title": "Energía"},
        change={"title": "Agua potable"},
    ),
    "resourceflow": Resource(
        make=lambda w: ResourceFlow.objects.create(
            region=w.guajira, fiscal_year=3000 + serial(), source="mining_royalties", amount=100, currency="COP"
        ),
        body=lambda w: {
            "region": w.guajira.pk,
            "fiscal_year": 2025,
            "source": "mining_royalties",
            "amount": "2500000.00",
            "currency": "COP",
        },
        change={"note": "Corrected"},
    ),
    "budgetexecution": Resource(
        make=lambda w: BudgetExecution.objects.create(
            region=w.guajira,
            fiscal_year=2024,
            project_code=f"P1-{serial()}",
            project_name="Agua",
            funding_source="mining_royalties",
            allocated=100,
            executed=50,
            currency="COP",
        ),
        body=lambda w: {
            "region": w.guajira.pk,
            "fiscal_year": 2025,
            "project_code": "P2",
            "project_name": "Paneles solares",
            "funding_source": "mining_royalties",
            "allocated": "1000.00",
            "executed": "400.00",
            "currency": "COP",
        },
        change={"executed": "60.00"},
    ),
    "indicator": Resource(
        make=lambda w: Indicator.objects.create(
            coalition=w.co_coalition, name=f"Comunidades {serial()}", unit="communities"
        ),
        body=lambda w: {
            "coalition": w.co_coalition.pk,
            "region": w.guajira.pk,
            "name": "Hogares conectados",
            "unit": "households",
            "direction": "increase",
            "baseline_value": "0",
            "baseline_year": 2022,
            "target_value": "500",
            "target_year": 2026,
        },
        change={"target_value": "800"},
    ),
    "indicatorvalue": Resource(
        make=lambda w: IndicatorValue.objects.create(
            indicator=Indicator.objects.create(
                coalition=w.co_coalition, name=f"Comunidades {serial()}", unit="communities"
            ),
            period_end=DAY,
            value=3,
        ),
        body=lambda w: {
            "indicator": Indicator.objects.get_or_create(
                coalition=w.co_coalition, name="Hogares", defaults={"unit": "households"}
            )[0].pk,
            "period_end": "2025-12-31",
            "value": "120",
        },
        change={"source": "DANE"},
    ),
    "networksnapshot": Resource(make=lambda w: _network_snapshot(w), body=lambda w: {}, change={}),
    "coalitionhealthsnapshot": Resource(make=lambda w: _health_snapshot(w), body=lambda w: {}, change={}),
}


def _network_snapshot(world) -> NetworkSnapshot:
    """A Colombian snapshot of a month no other took (the API only reads them)."""
    n = serial()
    return NetworkSnapshot.objects.create(
        country=world.co, period=datetime.date(1000 + n % 8000, 1, 1), actors=2, ties=1, connected=2, density=1.0
    )


def _health_snapshot(world) -> CoalitionHealthSnapshot:
    """A month of the Colombian coalition (partner-co's organisation is a member) no other took."""
    period = datetime.date(1000 + serial() % 8000, 1, 1)
    return CoalitionHealthSnapshot.objects.create(
        coalition=world.co_coalition, period=period, as_of=period, members_active=3, commitments_open=1
    )


def _plan(world, name="Plan La Guajira") -> DevelopmentPlan:
    return DevelopmentPlan.objects.get_or_create(
        country=world.co, name=name, defaults={"region": world.guajira, "start_year": 2024, "end_year": 2027}
    )[0]


def _member_coalition(world) -> Coalition:
    coalition = Coalition.objects.create(
        initiative=world.co_initiative, name="Coalición Manaure", level="local", shared_goal="Solar for Manaure"
    )
    Membership.objects.create(coalition=coalition, stakeholder=world.co_org, joined_on=DAY)
    return coalition


def make_rows(world, basename: str, count: int) -> None:
    """Up to `count` fresh rows; a resource whose natural key allows fewer stops early."""
    from django.db import IntegrityError, transaction

    for _ in range(count):
        try:
            with transaction.atomic():
                RESOURCES[basename].make(world)
        except IntegrityError:
            return


def routes() -> list[tuple[str, str, str]]:
    """(prefix, basename, action) for every action of every route the routers serve."""
    found = []
    for router in ROUTERS:
        for prefix, viewset, basename in router.registry:
            for action in ("list", "create", "retrieve", "update", "partial_update", "destroy"):
                if hasattr(viewset, action):
                    found.append((prefix, basename, action))
            for extra in viewset.get_extra_actions():
                found.append((prefix, basename, extra.__name__))
    return found
