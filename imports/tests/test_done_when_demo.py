"""Issue 15's "done when": as staff-pe on the seeded demo (`make run`), the MEF transfers file and the
budget-execution file for Moquegua import in one pass through their built-in profiles, and a second
import changes no figure."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from planning.models import BudgetExecution, ResourceFlow


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # seed_demo is for DEBUG=1
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False


def figures() -> dict:
    flows = ResourceFlow.objects.filter(region__code="PE-MOQ").values_list(
        "fiscal_year", "month", "source", "municipality__code", "amount"
    )
    projects = BudgetExecution.objects.filter(region__code="PE-MOQ").values_list(
        "fiscal_year", "project_code", "funding_source", "allocated", "executed"
    )
    return {"flows": sorted(flows, key=str), "execution": sorted(projects, key=str)}


def test_staff_pe_imports_the_moquegua_files_through_builtin_profiles_and_again_changes_nothing(
    demo, django_user_model, import_through_page
):
    client = Client()
    client.force_login(django_user_model.objects.get(username="staff-pe"))
    before = figures()
    files = [
        ("flows", "mef_transferencias_moquegua_2026.csv", "builtin:pe-mef-transferencias", 7),
        ("execution", "mef_consulta_amigable_moquegua_2026.xlsx", "builtin:pe-mef-consulta-amigable", 2),
    ]
    for kind, name, profile, rows in files:
        dry, done = import_through_page(client, kind=kind, name=name, profile=profile)
        assert dry.ok, [str(error) for error in dry.errors]
        assert done.ok and (done.created, done.updated) == (rows, 0)
    after = figures()
    assert len(after["flows"]) == len(before["flows"]) + 7  # a row per district, and the region's own
    january = sum(
        amount
        for year, month, source, _place, amount in after["flows"]
        if (year, month) == (2026, 1) and source == "mining_canon"
    )
    assert january == Decimal("46580246.00")
    assert (2026, 1, "mining_canon", "180301", Decimal("12345678.90")) in after["flows"]  # Ilo
    assert (2026, "2001621", "mining_canon", Decimal("140000000.00"), Decimal("97000000.00")) in after["execution"]
    for kind, name, profile, rows in files:
        _dry, again = import_through_page(client, kind=kind, name=name, profile=profile)
        assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, rows)
    assert figures() == after
