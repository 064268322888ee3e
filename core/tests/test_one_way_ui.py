"""One way for each piece of a page: forms through includes/form.html, lists through
includes/pagination.html, related rows through the one record picker (which answers a hidden row as
a missing one), partials named `<app>/includes/<thing>.html`."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.paginator import Page
from django.forms import BaseForm
from django.test import RequestFactory
from django.urls import NoReverseMatch, get_resolver, reverse

from coalitions.models import Coalition, Initiative
from core.pickers import options
from core.tests.filtersets import parameterless_pages
from core.tests.test_history_panel import RECORD_PAGES, records  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

#: Every page with a parameter that shows a form or a list, and the parameters to open it with.
#: (RECORD_PAGES adds the record pages; the pages without parameters are found from the resolver.)
PAGES_WITH_PARAMETERS = {
    "stakeholders:contact_create": lambda r: {"pk": r.world.co_org.pk},
    "stakeholders:relationship_create": lambda r: {"pk": r.world.co_org.pk},
    "coalitions:initiative_update": lambda r: {"pk": r.world.co_initiative.pk},
    "coalitions:assessment_create": lambda r: {"pk": r.world.co_initiative.pk},
    "coalitions:coalition_update": lambda r: {"pk": r.world.co_coalition.pk},
    "coalitions:membership_create": lambda r: {"pk": r.world.co_coalition.pk},
    "coalitions:commitment_create": lambda r: {"pk": r.world.co_coalition.pk},
    "coalitions:outcome_create": lambda r: {"pk": r.world.co_coalition.pk},
    "coalitions:membership_end": lambda r: {"pk": r.membership.pk},
    "coalitions:commitment_update": lambda r: {"pk": r.world.co_commitment.pk},
    "coalitions:engagement_update": lambda r: {"pk": r.world.co_engagement.pk},
    "coalitions:learningnote_update": lambda r: {"pk": r.note.pk},
    "explorers_network:campaign_update": lambda r: {"pk": r.campaign.pk},
    "explorers_network:contact_update": lambda r: {"pk": r.contact_request.pk},
    "explorers_network:contact_note_create": lambda r: {"pk": r.contact_request.pk},
    "explorers_network:contact_reply": lambda r: {"pk": r.contact_request.pk},
    "explorers_network:contact_stakeholder_create": lambda r: {"pk": r.contact_request.pk},
    "planning:entrypoint_list": lambda r: {"code": "co"},
    "planning:entrypoint_create": lambda r: {"code": "co"},
    "planning:entrypoint_edit": lambda r: {"pk": r.entry_point.pk},
    "planning:plan_create": lambda r: {"code": "pe"},
    "planning:plan_edit": lambda r: {"pk": r.plan.pk},
    "planning:objective_create": lambda r: {"plan_pk": r.plan.pk},
    "planning:objective_edit": lambda r: {"pk": r.objective.pk},
    "planning:region_resources": lambda r: {"code": r.world.moquegua.code},
    "results:indicator_edit": lambda r: {"pk": r.indicator.pk},
    "results:value_create": lambda r: {"pk": r.indicator.pk},
    "results:indicator_create": lambda r: {"kind": "coalition", "owner_pk": r.world.co_coalition.pk},
    # The partner portal's forms (a partner's pages: portal/tests/test_portal_pages.py opens them as partner-co).
    "portal:engagement_create": lambda r: {"pk": r.world.co_coalition.pk},
    "portal:outcome_create": lambda r: {"pk": r.world.co_coalition.pk},
    "portal:commitment_update": lambda r: {"pk": r.world.co_commitment.pk},
}

#: Templates that lay out a form's fields themselves, and why.
OWN_LAYOUT = {
    "includes/form.html": "the one renderer",
    "notifications/preferences.html": "a table of checkboxes, two per kind of notification",
    "explorers_network/contact.html": "a public form with a honeypot field kept out of sight",
}
#: What renders a field another way than includes/form.html.
OTHER_RENDERERS = re.compile(
    r"\.as_(div|p|table|ul)\b|label_tag|legend_tag|\{%\s*form_field|\{%\s*for \w+ in [\w.]*form|\{\{\s*\w*form\s*\}\}"
)


def project_templates() -> dict[str, Path]:
    """Every template of the project (the shared folder and each app's), by its name."""
    base = Path(settings.BASE_DIR)
    folders = [base / "templates", *sorted(base.glob("*/templates"))]
    found = {}
    for folder in folders:
        if ".venv" in folder.parts:
            continue
        for path in folder.rglob("*.html"):
            name = path.relative_to(folder).as_posix()
            if not name.startswith("admin/"):  # Django admin's own look
                found[name] = path
    return found


def test_no_template_renders_a_field_another_way():
    offenders = [
        name
        for name, path in project_templates().items()
        if name not in OWN_LAYOUT and OTHER_RENDERERS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_partials_are_named_app_includes_thing():
    """A template included by others lives in `<app>/includes/` (or the shared `includes/`; a widget's in
    `<app>/widgets/`), never `_name.html`."""
    templates = project_templates()
    included = set()
    for path in templates.values():
        included.update(re.findall(r'\{%\s*include\s+"([^"]+)"', path.read_text(encoding="utf-8")))
    assert {name for name in included if not re.search(r"(^|/)(includes|widgets)/", name)} == set()
    assert [name for name in templates if Path(name).name.startswith("_")] == []


def url_names() -> set[str]:
    names = set()
    for namespace, (_prefix, resolver) in get_resolver().namespace_dict.items():
        if namespace not in ("admin", "api"):
            names.update(f"{namespace}:{name}" for name in resolver.reverse_dict if isinstance(name, str))
    return names


def test_every_form_and_list_page_with_parameters_is_in_the_table():
    """A new page that edits or lists: add it to PAGES_WITH_PARAMETERS (or RECORD_PAGES)."""
    pages = {
        name
        for name in url_names()
        if re.search(r"_(create|update|edit|end|list)$", name) and reverse_needs_parameters(name)
    }
    assert pages <= set(PAGES_WITH_PARAMETERS) | set(RECORD_PAGES)


def reverse_needs_parameters(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return True
    return False


def staff_pages(records) -> list[str]:  # noqa: F811 (the fixture's value)
    urls = [url for url in parameterless_pages() if not url.startswith(("/network/", "/work/"))]
    urls += [reverse(name, kwargs=kwargs(records)) for name, kwargs in PAGES_WITH_PARAMETERS.items()]
    urls += [reverse(name, kwargs=page(records)[0]) for name, page in RECORD_PAGES.items()]
    return sorted(set(urls))


def context_values(response):
    for layer in response.context or []:
        for values in layer.dicts if hasattr(layer, "dicts") else [layer]:
            yield from values.values()


def test_every_staff_form_renders_through_the_one_include(admin_client, records):  # noqa: F811
    checked = 0
    for url in staff_pages(records):
        response = admin_client.get(url)
        if response.status_code != 200 or not response.templates:
            continue
        rendered = {template.name for template in response.templates}
        if rendered & set(OWN_LAYOUT) - {"includes/form.html"}:
            continue
        forms = [value for value in context_values(response) if isinstance(value, BaseForm) and value.visible_fields()]
        filtersets = [value for value in context_values(response) if hasattr(value, "form") and hasattr(value, "qs")]
        if forms or filtersets:
            checked += 1
            assert "includes/form.html" in rendered, url
    assert checked >= 30  # the pages were found: a broken discovery cannot pass quietly


def test_every_list_page_pages_through_the_one_partial(admin_client, records):  # noqa: F811
    checked = 0
    for url in staff_pages(records):
        response = admin_client.get(url)
        if response.status_code != 200 or not response.templates:
            continue
        if any(isinstance(value, Page) and value.object_list for value in context_values(response)):
            checked += 1
            assert "includes/pagination.html" in {template.name for template in response.templates}, url
    assert checked >= 6


def partner_request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_picker_answers_a_hidden_row_as_a_missing_one(world):
    """For a partner the other country's coalition is hidden: chosen, searched or suggested, it is not there."""
    partner = world.partner_co
    rows = Coalition.objects.visible_to(partner)
    hidden, missing = world.pe_coalition.pk, Coalition.objects.order_by("-pk").first().pk + 1000
    request = partner_request(partner)
    assert options(rows, selected=[hidden], request=request) == options(rows, selected=[missing], request=request)
    assert options(rows, selected=[hidden], request=request) == []
    searched = options(rows, selected=[], query=world.pe_coalition.name[:5], request=request)
    assert world.pe_coalition not in [row for row, _checked in searched]
    initiatives = Initiative.objects.visible_to(partner)
    for initiative_id in (world.pe_initiative.pk, missing):
        assert options(initiatives, selected=[initiative_id], request=request) == []


def test_the_picker_search_is_the_same_for_hidden_and_missing_rows(partner_client, client, world):
    url = reverse("core:picker", kwargs={"model": "coalitions.coalition"})
    assert client.get(url, {"name": "coalition"}).status_code == 302  # signed-in users only
    missing = Coalition.objects.order_by("-pk").first().pk + 1000
    hidden = partner_client.get(url, {"name": "coalition", "coalition": world.pe_coalition.pk})
    absent = partner_client.get(url, {"name": "coalition", "coalition": missing})
    # Partners pick in the portal's forms: only their visible rows, a hidden one answered as a missing one.
    assert hidden.status_code == absent.status_code == 200
    own = partner_client.get(url, {"name": "coalition", "coalition_q": world.co_coalition.name[:8]})
    assert world.co_coalition.name in own.content.decode()
    # The same page, but for the form's token and the language switcher's way back (the address asked).
    varying = re.compile(rb'name="(csrfmiddlewaretoken|next)" value="[^"]*"')
    assert varying.sub(b"", hidden.content) == varying.sub(b"", absent.content)


def test_the_picker_search_offers_only_models_with_a_filterset(staff_client, world):
    assert (
        staff_client.get(reverse("core:picker", kwargs={"model": "core.objectchange"}), {"name": "x"}).status_code
        == 404
    )
    assert staff_client.get(reverse("core:picker", kwargs={"model": "nothing.here"}), {"name": "x"}).status_code == 404
    bad_name = {"name": '"><script>'}
    assert (
        staff_client.get(reverse("core:picker", kwargs={"model": "coalitions.coalition"}), bad_name).status_code == 404
    )


def project_forms() -> list[type]:
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    from core.forms import ValidatedModelForm

    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "forms"):
            import_module(f"{config.name}.forms")
    return [form for form in _subclasses(ValidatedModelForm) if form.__module__.endswith(".forms")]


def _subclasses(cls):
    return [sub for direct in cls.__subclasses__() for sub in (direct, *_subclasses(direct))]


def test_every_date_of_every_form_and_filter_is_the_one_date_input():
    from django import forms

    from core.filters import DateRangeWidget
    from core.forms import DateInput
    from core.tests.filtersets import all_filtersets

    dates = [
        (f"{form.__name__}.{name}", field.widget)
        for form in project_forms()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField)
    ]
    for filterset in all_filtersets():
        for name, filter_ in filterset.base_filters.items():
            widget = filter_.extra.get("widget")
            if issubclass(filter_.field_class, forms.DateField):
                dates.append((f"{filterset.__name__}.{name}", widget))
            elif "DateRange" in filter_.field_class.__name__:
                dates.append((f"{filterset.__name__}.{name}", widget if widget is DateRangeWidget else None))
    assert len(dates) > 15
    assert [
        name for name, widget in dates if not (isinstance(widget, DateInput) or widget in (DateInput, DateRangeWidget))
    ] == []
