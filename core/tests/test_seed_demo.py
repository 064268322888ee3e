import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from core.tests.test_settings import PRODUCTION, manage


@pytest.fixture(autouse=True)
def development(settings):
    """seed_demo is for DEBUG=1 (`make run`); pytest runs with DEBUG off, so these tests turn it on."""
    settings.DEBUG = True


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_seed_demo_twice_changes_no_row_count(capsys):
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first


@pytest.mark.django_db
def test_seed_demo_loads_the_program_and_its_users(django_user_model):
    from coalitions.models import Assessment, Coalition, Initiative
    from stakeholders.models import Stakeholder

    call_command("seed_demo")
    assert Stakeholder.objects.count() >= 60
    assert set(Stakeholder.objects.values_list("sector", flat=True)) == set(Stakeholder.Sector.values)
    assert Coalition.objects.filter(parent__name="Coalición Nacional de Comunidades Energéticas").count() == 2
    assert Initiative.objects.filter(country__code="PH", phase="entry_point_analysis").exists()
    assert Assessment.objects.dates("assessed_on", "day").count() >= 2
    for username in ("admin", "staff-co", "staff-pe", "staff-ph", "partner-co", "partner-pe"):
        assert django_user_model.objects.get(username=username).check_password("demo")


@pytest.mark.django_db
def test_demo_partners_belong_to_coalitions_of_their_own_country_only(django_user_model):
    from coalitions.models import Coalition

    call_command("seed_demo")
    for username, code in (("partner-co", "CO"), ("partner-pe", "PE")):
        partner = django_user_model.objects.get(username=username)
        countries = set(Coalition.objects.visible_to(partner).values_list("initiative__country__code", flat=True))
        assert countries == {code}


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_with_debug_off(settings, django_user_model):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo")
    assert not django_user_model.objects.exists()


def test_seed_demo_refuses_under_production_settings(tmp_path):
    """The real command line with DEBUG=0: it stops before touching the database."""
    database = tmp_path / "production.sqlite3"
    result = manage("seed_demo", **PRODUCTION, DATABASE_URL=f"sqlite:///{database}")
    assert result.returncode != 0
    assert "refuses to write demo data" in result.stderr
    assert not database.exists()


@pytest.mark.django_db
def test_with_allow_production_demo_users_get_no_usable_password(settings, django_user_model, capsys):
    settings.DEBUG = False
    call_command("seed_demo", allow_production=True)
    assert "WARNING" in capsys.readouterr().err
    users = django_user_model.objects.filter(username__in=["admin", "staff-co", "partner-co"])
    assert users.count() == 3
    assert not any(user.has_usable_password() for user in users)
