import pytest
from django.apps import apps
from django.core.management import call_command


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
