"""The staff import page: upload, column mapping (pre-filled by a profile), dry run, import; profiles."""

from decimal import Decimal
from pathlib import Path

from django.urls import reverse

from imports.models import ImportProfile, ImportUpload
from planning.models import BudgetExecution, ResourceFlow

from .conftest import CORPUS


def test_the_mef_transfers_file_imports_in_one_pass_through_its_builtin_profile(
    other_staff_client, import_through_page
):
    dry, done = import_through_page(
        other_staff_client,
        kind="flows",
        name="mef_transferencias_moquegua_2026.csv",
        profile="builtin:pe-mef-transferencias",
    )
    assert dry.ok and dry.dry_run and dry.created == 7
    assert done.ok and done.created == 7
    # A row per district (and the regional government's own); the department's figure is their sum.
    flows = {}
    for flow in ResourceFlow.objects.filter(region__code="PE-MOQ"):
        flows[flow.month, flow.source] = flows.get((flow.month, flow.source), 0) + flow.amount
    assert ResourceFlow.objects.filter(municipality__code="180301").exists()  # Ilo
    assert flows == {
        (1, "mining_canon"): Decimal("46580246.00"),
        (1, "mining_royalties"): Decimal("3500000.50"),
        (2, "mining_canon"): Decimal("23500000.00"),
        (2, "mining_royalties"): Decimal("2000000.00"),
    }
    assert set(ResourceFlow.objects.values_list("currency", flat=True)) == {"PEN"}
    assert not ImportUpload.objects.exists()  # the file is gone once imported


def test_the_mapping_step_shows_each_header_with_its_samples_and_the_profiles_choice(other_staff_client):
    with (CORPUS / "mef_consulta_amigable_moquegua_2026.xlsx").open("rb") as handle:
        response = other_staff_client.post(
            reverse("imports:start"),
            {"kind": "execution", "profile": "builtin:pe-mef-consulta-amigable", "file": handle},
        )
    page = other_staff_client.get(response.url)
    form = page.context["form"]
    headers = [field.label for field, _samples in form.columns]
    assert headers[:6] == ["Año", "Nivel de Gobierno", "Sector", "Pliego", "Departamento", "Producto/Proyecto"]
    chosen = {field.label: field.value() for field, _samples in form.columns}
    assert chosen["PIM"] == "allocated" and chosen["Devengado"] == "executed" and chosen["PIA"] == ""
    assert chosen["Producto/Proyecto"] == "project"
    samples = {field.label: found for field, found in form.columns}
    assert samples["Departamento"] == ["18: MOQUEGUA"]


def test_another_users_upload_is_not_found(other_staff_client, staff_client):
    with (CORPUS / "sgr_asignaciones_2025.csv").open("rb") as handle:
        response = staff_client.post(reverse("imports:start"), {"kind": "flows", "file": handle})
    assert other_staff_client.get(response.url).status_code == 404
    assert other_staff_client.post(response.url, {"dry_run": "1"}).status_code == 404


def test_a_partner_cannot_reach_the_import_page(partner_client):
    assert partner_client.get(reverse("imports:start")).status_code == 403


def test_a_file_over_the_size_limit_is_refused(other_staff_client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.csv", b"a,b\n" + b"1,2\n" * (1_400_000), content_type="text/csv")
    response = other_staff_client.post(reverse("imports:start"), {"kind": "flows", "file": big})
    assert response.status_code == 200 and "5 MB" in str(response.context["form"].errors)
    assert not ImportUpload.objects.exists()


def test_the_mapping_is_saved_as_a_profile_for_the_owner_and_shared_with_the_team(
    world, staff_client, other_staff_client, import_through_page
):
    changes = {"save_as": "SGR mensual", "share_with": str(world.co.pk)}
    _dry, done = import_through_page(
        staff_client,
        kind="flows",
        name="sgr_asignaciones_2025.csv",
        profile="builtin:co-sgr-datos-abiertos",
        changes=changes,
    )
    assert done.ok and done.created == 4  # a row per municipality
    saved = ImportProfile.objects.get(name="SGR mensual")
    assert saved.owner == world.staff_co and saved.kind == "flows" and saved.aggregate
    assert saved.mapping["valor"] == "amount" and saved.fixed["source"] == "mining_royalties"
    assert list(ImportProfile.objects.visible_to(world.staff_co)) == [saved]
    assert not ImportProfile.objects.visible_to(world.staff_pe).exists()  # not of Peru's team
    assert not ImportProfile.objects.editable_by(world.staff_pe).exists()
    la_guajira = ResourceFlow.objects.filter(region__code="CO-LAG")
    assert sum(flow.amount for flow in la_guajira) == Decimal("4250000000.50")  # the department's and its towns'
    assert {flow.currency for flow in la_guajira} == {"COP"}
    assert la_guajira.get(municipality__code="44847").amount == Decimal("1500000000.50")  # Uribia


def test_a_mapping_that_misses_a_required_column_says_so_and_imports_nothing(other_staff_client, import_through_page):
    dry, done = import_through_page(
        other_staff_client,
        kind="flows",
        name="mef_transferencias_moquegua_2026.csv",
        profile="builtin:pe-mef-transferencias",
        changes={"column_10": ""},  # Monto Acreditado ignored: no amount
    )
    assert done is None and [str(error) for error in dry.errors] == ["Line 1: Missing columns: amount."]
    assert not ResourceFlow.objects.exists()


def test_the_import_page_answers_staff(other_staff_client):
    assert other_staff_client.get("/imports/").status_code == 200
    assert BudgetExecution.objects.count() == 0


def test_the_mapping_step_and_its_dry_run_take_a_constant_number_of_queries(
    other_staff_client, django_assert_num_queries
):
    with (CORPUS / "mef_transferencias_moquegua_2026.csv").open("rb") as handle:
        url = other_staff_client.post(
            reverse("imports:start"), {"kind": "flows", "profile": "builtin:pe-mef-transferencias", "file": handle}
        ).url
    page = other_staff_client.get(url)  # the countries are then in the cache (core.short_tables)
    with django_assert_num_queries(QUERIES_MAPPING_PAGE):
        page = other_staff_client.get(url)
    data = {name: page.context["form"][name].value() for name in page.context["form"].fields}
    data = {name: ("on" if value is True else value) for name, value in data.items() if value not in (None, False)}
    other_staff_client.post(url, {**data, "dry_run": "1"})
    with django_assert_num_queries(QUERIES_DRY_RUN):
        other_staff_client.post(url, {**data, "dry_run": "1"})


#: Session, user and teams, the upload, the saved profiles, the share menu's countries (mapping page);
#: the dry run adds the importer's regions, countries, municipalities and existing rows, and its rolled-back
#: transaction, whatever the number of rows.
QUERIES_MAPPING_PAGE = 6
QUERIES_DRY_RUN = 15


STAKEHOLDER_FILES = Path(__file__).resolve().parents[2] / "stakeholders" / "tests" / "import_files"


def test_stakeholders_and_contacts_import_through_the_same_page(staff_client, import_through_page, monkeypatch):
    from stakeholders.models import Contact, Stakeholder

    monkeypatch.setattr("imports.tests.conftest.CORPUS", STAKEHOLDER_FILES)
    dry, done = import_through_page(staff_client, kind="stakeholders", name="crm_export_es_cp1252.csv")
    assert dry.ok and done.ok and done.created == 4  # Excel in Spanish: Windows-1252, ";", Spanish headers
    assert Stakeholder.objects.filter(acronym="AATW", regions__code="CO-LAG").exists()
    dry, done = import_through_page(
        staff_client, kind="contacts", name="google_contacts.csv", profile="builtin:google-contacts"
    )
    assert done.ok and (done.created, done.updated) == (2, 1)
    assert Contact.objects.get(email="maria@example.org").stakeholder.name == "Fundación Energía Wayuu"
