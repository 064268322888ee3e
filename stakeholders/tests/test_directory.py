"""The stakeholder directory: filters, sort, pagination, CSV export, query counts."""

import csv
import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from coalitions.models import Assessment, Membership
from core.versions import row_values
from countries.models import Country, CountryQuerySet, Region
from stakeholders import views
from stakeholders.filters import StakeholderFilterSet
from stakeholders.models import Stakeholder, Tag


def add_stakeholders(country, n: int, **fields) -> list[Stakeholder]:
    return Stakeholder.objects.bulk_create(
        Stakeholder(country=country, name=f"Actor {index:03}", sector="media", level="local", **fields)
        for index in range(n)
    )


def names(response) -> list[str]:
    return [stakeholder.name for stakeholder in response.context["stakeholders"]]


def test_anonymous_is_sent_to_login(client, world):
    for url in ("/stakeholders/", "/stakeholders/export.csv"):
        assert client.get(url)["Location"].startswith("/accounts/login/")


def test_staff_see_every_country(other_staff_client, world):
    assert set(names(other_staff_client.get("/stakeholders/"))) == {
        "Alcaldía de Uribia",
        "Asociación Moquegua Transparente",
        "Fundación Energía Wayuu",
        "Minera del Sur",
    }


def test_filter_by_country_and_sector(staff_client, world):
    response = staff_client.get("/stakeholders/", {"country": world.co.pk, "sector": "subnational_government"})
    assert names(response) == ["Alcaldía de Uribia"]


def test_search_by_name(staff_client, world):
    assert names(staff_client.get("/stakeholders/", {"q": "minera"})) == ["Minera del Sur"]


def test_filter_by_coalition_ignores_former_members(staff_client, world):
    Membership.objects.filter(stakeholder=world.co_mayor).update(left_on=datetime.date(2026, 2, 1))
    assert names(staff_client.get("/stakeholders/", {"coalition": world.co_coalition.pk})) == [
        "Fundación Energía Wayuu"
    ]


def test_filter_by_latest_stance_in_an_initiative(staff_client, world):
    Assessment.objects.create(
        stakeholder=world.co_org,
        initiative=world.co_initiative,
        assessed_on=datetime.date(2025, 1, 1),
        power=1,
        capabilities=1,
        interest=1,
        stance=2,
    )
    Assessment.objects.create(
        stakeholder=world.co_org,
        initiative=world.co_initiative,
        assessed_on=datetime.date(2026, 3, 1),
        power=1,
        capabilities=1,
        interest=1,
        stance=-1,
    )
    params = {"initiative": world.co_initiative.pk, "stance": "-1"}
    assert names(staff_client.get("/stakeholders/", params)) == ["Fundación Energía Wayuu"]
    params["stance"] = "2"
    assert names(staff_client.get("/stakeholders/", params)) == []


def test_filter_by_region(staff_client, world):
    world.co_mayor.regions.add(world.guajira)
    assert names(staff_client.get("/stakeholders/", {"region": world.guajira.pk})) == ["Alcaldía de Uribia"]


def test_invalid_filter_value_shows_error_not_500(staff_client, world):
    response = staff_client.get("/stakeholders/", {"country": "999999", "sector": "nonsense"})
    assert response.status_code == 200
    assert response.context["filterset"].form.errors


def test_sort_descending_by_name(staff_client, world):
    assert names(staff_client.get("/stakeholders/", {"sort": "-name"}))[0] == "Minera del Sur"


def test_sort_outside_the_allow_list_falls_back_to_name(staff_client, world):
    response = staff_client.get("/stakeholders/", {"sort": "contacts__email"})
    assert response.status_code == 200
    assert names(response)[0] == "Alcaldía de Uribia"


def test_pagination_shows_fifty_per_page(staff_client, world):
    add_stakeholders(world.co, 60)
    first = staff_client.get("/stakeholders/")
    assert len(names(first)) == 50
    second = staff_client.get("/stakeholders/", {"page": 2})
    assert len(names(second)) == 14
    assert 'rel="prev"' in second.content.decode()


def test_htmx_request_gets_only_the_results(staff_client, world):
    response = staff_client.get("/stakeholders/", {"q": "minera"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.startswith('<div id="directory-results"')
    assert 'name="sort"' in html
    assert "<html" not in html


@pytest.mark.parametrize("extra", [0, 60])
def test_directory_query_count_is_constant(staff_client, world, django_assert_num_queries, extra):
    for stakeholder in add_stakeholders(world.co, extra, acronym="X"):
        stakeholder.regions.add(world.guajira)
    # session, user, countries for the filter select (validated against it), count, page, the rows'
    # regions and tags (one query); the saved-filters panel loads after the page; the region,
    # coalition and initiative pickers list nothing until searched.
    with django_assert_num_queries(6):
        staff_client.get("/stakeholders/", {"country": world.co.pk})


@pytest.mark.parametrize("extra", [5, 60])
def test_directory_search_query_count_is_constant(staff_client, world, django_assert_num_queries, extra):
    for stakeholder in add_stakeholders(world.co, extra, acronym="X"):
        stakeholder.regions.add(world.guajira)
    # As the plain directory: session, user, countries, count, page, regions and tags.
    with django_assert_num_queries(6):
        response = staff_client.get("/stakeholders/", {"q": "actor"})
    assert len(response.context["stakeholders"]) == min(extra, 50)


@pytest.mark.parametrize("extra", [0, 60])
def test_directory_with_a_chosen_coalition_stays_within_eight_queries(
    staff_client, world, django_assert_num_queries, extra
):
    for stakeholder in add_stakeholders(world.co, extra):
        Membership.objects.create(
            coalition=world.co_coalition, stakeholder=stakeholder, joined_on=datetime.date.today()
        )
    with django_assert_num_queries(7):  # and the chosen coalition with the search's matches, for its picker
        staff_client.get("/stakeholders/", {"coalition": world.co_coalition.pk, "coalition_q": "coal"})


def test_filter_form_lists_no_coalition_until_one_is_searched(staff_client, world):
    html = staff_client.get("/stakeholders/").content.decode()
    assert world.co_coalition.name not in html
    assert world.co_initiative.name not in html
    assert 'name="coalition_q"' in html and 'name="initiative_q"' in html
    # Without JavaScript, Find sends the form and the matches come back as choices.
    html = staff_client.get("/stakeholders/", {"coalition_q": "guajira"}).content.decode()
    assert f'name="coalition" value="{world.co_coalition.pk}"' in html
    assert world.pe_coalition.name not in html


def test_the_chosen_coalition_stays_checked_and_filters(staff_client, world):
    response = staff_client.get("/stakeholders/", {"coalition": world.co_coalition.pk})
    html = response.content.decode()
    assert f'name="coalition" value="{world.co_coalition.pk}" checked' in html
    assert world.co_coalition.name in html
    assert set(names(response)) == {"Fundación Energía Wayuu", "Alcaldía de Uribia"}


def pick(client, model: str, name: str, params: dict, **kwargs):
    """A search of the record picker (core:picker) for the directory's `name` filter."""
    return client.get(f"/pickers/{model}/", {"name": name, "multiple": 0, **params}, **kwargs)


def test_picker_search_returns_matching_options(staff_client, world):
    response = pick(
        staff_client,
        "coalitions.initiative",
        "initiative",
        {"initiative_q": world.pe_initiative.name[:6]},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.startswith('<div id="initiative-options"')
    assert f'name="initiative" value="{world.pe_initiative.pk}"' in html
    response = pick(staff_client, "coalitions.initiative", "initiative", {"initiative_q": "zzz-nothing"})
    assert "Nothing matches" in response.content.decode()


def test_picker_search_keeps_the_chosen_option_first(staff_client, world):
    response = pick(
        staff_client,
        "coalitions.coalition",
        "coalition",
        {"coalition": world.pe_coalition.pk, "coalition_q": "guajira"},
    )
    assert response.context["picker"]["options"] == [(world.pe_coalition, True), (world.co_coalition, False)]


def test_region_is_chosen_with_a_picker(staff_client, world):
    world.co_mayor.regions.add(world.guajira)
    html = staff_client.get("/stakeholders/").content.decode()
    assert html.count('name="region" value="') == 1  # only "any region": no list of every region
    html = staff_client.get("/stakeholders/", {"region_q": "guaj"}).content.decode()
    assert f'name="region" value="{world.guajira.pk}"> {world.guajira.name}' in html
    response = staff_client.get("/stakeholders/", {"region": world.guajira.pk})
    assert f'name="region" value="{world.guajira.pk}" checked' in response.content.decode()
    assert names(response) == ["Alcaldía de Uribia"]


def test_csv_export_uses_the_same_filters(staff_client, world):
    response = staff_client.get("/stakeholders/export.csv", {"country": world.pe.pk, "sort": "-name"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Id", "Name", "Acronym"]
    assert [row[1] for row in rows[1:]] == ["Minera del Sur", "Asociación Moquegua Transparente"]
    assert rows[1][4] == "Extractive or energy company"


def test_csv_export_neutralises_formulas(staff_client, world):
    Stakeholder.objects.create(country=world.co, name='=HYPERLINK("x")', sector="media", level="local")
    content = staff_client.get("/stakeholders/export.csv", {"q": "HYPERLINK"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content


@pytest.mark.parametrize("extra", [0, 60])
def test_csv_export_query_count_is_constant(staff_client, world, django_assert_num_queries, extra):
    for stakeholder in add_stakeholders(world.co, extra):
        stakeholder.regions.add(world.guajira)
    # session, user, rows, regions and tags prefetches: the export needs none of the form's choice lists.
    with django_assert_num_queries(5):
        staff_client.get("/stakeholders/export.csv")


def test_partner_cannot_export(partner_client, world):
    assert partner_client.get("/stakeholders/export.csv").status_code == 403


def test_rows_show_escaped_names_regions_and_organisation(staff_client, world):
    person = Stakeholder.objects.create(
        country=world.co,
        name='<script>alert("x")</script>',
        acronym="A&B",
        sector="media",
        level="local",
        kind="person",
        organisation=world.co_org,
    )
    amazonas = Region.objects.get(code="CO-AMA")
    person.regions.add(world.guajira, amazonas)
    html = staff_client.get("/stakeholders/", {"q": "script"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "A&amp;B" in html
    assert f'<a href="{person.get_absolute_url()}">' in html
    assert f'<a href="{world.co_org.get_absolute_url()}">{world.co_org.name}</a>' in html
    assert f'<td data-label="Regions">{amazonas.name}, {world.guajira.name}</td>' in html  # in name order
    updated = date_format(timezone.localtime(person.updated_at), "SHORT_DATE_FORMAT")
    assert f'<td data-label="Updated">{updated}</td></tr>' in html


def test_row_labels_follow_each_requests_language(staff_client, world):
    """The translated sector labels are kept per language: a Spanish page after an English one is Spanish."""
    query = {"q": "wayuu"}
    english = staff_client.get("/stakeholders/", query, headers={"accept-language": "en"}).content.decode()
    spanish = staff_client.get("/stakeholders/", query, headers={"accept-language": "es"}).content.decode()
    again = staff_client.get("/stakeholders/", query, headers={"accept-language": "en"}).content.decode()
    assert '<td data-label="Sector">Civil society organisation</td>' in english
    assert '<td data-label="Sector">Organización de la sociedad civil</td>' in spanish
    assert '<td data-label="Sector">Civil society organisation</td>' in again


def rows(response) -> str:
    """The directory's table rows as the page shows them (the part directory_results.html keeps in the cache)."""
    html = response.content.decode()
    return html[html.index("<tbody>") : html.index("</tbody>")]


def test_the_kept_rows_are_the_rendered_rows(staff_client, world, settings):
    first = staff_client.get("/stakeholders/")
    assert rows(staff_client.get("/stakeholders/")) == rows(first)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert rows(staff_client.get("/stakeholders/")) == rows(first)  # rendered again, without the cache


def test_the_rows_show_each_change_to_what_they_show(staff_client, world):
    """They are kept under the versions of the tables they show, which every write drops: an edit
    anywhere, even one that bypasses save(), shows at once."""
    person = Stakeholder.objects.create(
        country=world.co, name="Persona Uno", sector="media", level="local", kind="person", organisation=world.co_org
    )
    person.regions.add(world.guajira)
    query = {"q": "persona uno"}
    assert world.guajira.name in rows(staff_client.get("/stakeholders/", query))
    Stakeholder.objects.filter(pk=world.co_org.pk).update(name="Organización renombrada")
    assert "Organización renombrada" in rows(staff_client.get("/stakeholders/", query))
    Region.objects.filter(pk=world.guajira.pk).update(name="Guajira renombrada")
    assert "Guajira renombrada" in rows(staff_client.get("/stakeholders/", query))
    person.regions.set([Region.objects.get(code="CO-AMA")])
    html = rows(staff_client.get("/stakeholders/", query))
    assert "Guajira renombrada" not in html and Region.objects.get(code="CO-AMA").name in html
    Stakeholder.objects.filter(pk=person.pk).update(acronym="PU", level="national")
    html = rows(staff_client.get("/stakeholders/", query))
    assert '<span class="muted">PU</span>' in html and '<td data-label="Level">National</td>' in html


def test_the_rows_show_a_renamed_tag(staff_client, world):
    tag = Tag.objects.create(country=world.co, name="Minería")
    world.co_org.tags.add(tag)
    query = {"q": world.co_org.name}
    assert ">Minería</a>" in rows(staff_client.get("/stakeholders/", query))
    Tag.objects.filter(pk=tag.pk).update(name="Minería y energía")
    assert ">Minería y energía</a>" in rows(staff_client.get("/stakeholders/", query))


def test_kept_results_are_shown_without_reading_a_row(staff_client, world, django_assert_num_queries):
    query = {"country": world.co.pk, "sort": "-name"}
    first = staff_client.get("/stakeholders/", query)
    with django_assert_num_queries(2):  # session and user: the countries, the total and the rows are kept
        again = staff_client.get("/stakeholders/", query)
    assert rows(again) == rows(first) and "2 stakeholders" in again.content.decode()
    assert names(again) == ["Fundación Energía Wayuu", "Alcaldía de Uribia"]  # read when a test asks


def test_kept_results_keep_each_requests_other_parameters_in_their_links(staff_client, world):
    plain = staff_client.get("/stakeholders/", {"q": "minera"}).content.decode()
    searched = staff_client.get("/stakeholders/", {"q": "minera", "region_q": "guaj"}).content.decode()
    assert "region_q" not in plain[plain.index('id="directory-results"') :]
    assert "?q=minera&amp;region_q=guaj&amp;sort=name" in searched  # the sort links
    assert "?q=minera&amp;region_q=guaj&amp;sep=%3B" in searched  # the export links


def test_no_match_says_so(staff_client, world):
    html = staff_client.get("/stakeholders/", {"q": "nobody by this name"}).content.decode()
    assert '<tr><td colspan="7">No stakeholder matches these filters.</td></tr>' in html
    assert "0 stakeholders" in html


def filter_form(response) -> str:
    """The directory's filter form as the page shows it (the part includes/form.html keeps in the cache)."""
    html = response.content.decode()
    start = html.index('id="directory-filters"')
    return html[start : html.index("</form>", start)]


def test_the_filter_form_shows_each_requests_checked_values(staff_client, world):
    media = staff_client.get("/stakeholders/", {"sector": "media", "country": world.co.pk})
    civil = staff_client.get("/stakeholders/", {"sector": "civil_society", "level": "local"})
    media_again = staff_client.get("/stakeholders/", {"sector": "media", "country": world.co.pk})
    assert 'value="media" id="id_sector_10" checked' in filter_form(media)
    assert f'value="{world.co.pk}" selected' in filter_form(media)
    assert 'value="media" id="id_sector_10">' in filter_form(civil)
    assert 'value="civil_society" id="id_sector_3" checked' in filter_form(civil)
    assert 'value="local" id="id_level_0" checked' in filter_form(civil)
    assert f'value="{world.co.pk}" selected' not in filter_form(civil)
    assert filter_form(media_again) == filter_form(media)  # the kept rendering is the rendering


def test_the_filter_form_shows_a_new_or_renamed_country(staff_client, world):
    assert "Ecuador" not in filter_form(staff_client.get("/stakeholders/"))
    ecuador = Country.objects.create(code="EC", name="Ecuador")
    assert f'<option value="{ecuador.pk}">Ecuador</option>' in filter_form(staff_client.get("/stakeholders/"))
    Country.objects.filter(pk=ecuador.pk).update(name="República del Ecuador")
    assert "República del Ecuador" in filter_form(staff_client.get("/stakeholders/"))


def test_the_filter_form_follows_each_requests_language(staff_client, world):
    english = filter_form(staff_client.get("/stakeholders/", headers={"accept-language": "en"}))
    spanish = filter_form(staff_client.get("/stakeholders/", headers={"accept-language": "es"}))
    again = filter_form(staff_client.get("/stakeholders/", headers={"accept-language": "en"}))
    assert "Civil society organisation" in english and "Organización de la sociedad civil" not in english
    assert "Organización de la sociedad civil" in spanish and "Civil society organisation" not in spanish
    assert again == english


def test_a_chosen_region_is_rendered_each_time_not_kept(staff_client, world):
    chosen = {"region": world.guajira.pk}
    assert world.guajira.name in filter_form(staff_client.get("/stakeholders/", chosen))
    Region.objects.filter(pk=world.guajira.pk).update(name="La Guajira renombrada")
    assert "La Guajira renombrada" in filter_form(staff_client.get("/stakeholders/", chosen))


def test_a_user_who_may_choose_other_countries_never_gets_anothers_filter_form(world, rf, monkeypatch):
    """The form is kept per scope: a user offered other countries gets a form of their own."""
    monkeypatch.setattr(CountryQuerySet, "visible_to_partner", lambda self, organisation_id: self.filter(code="PE"))

    def rendered(user) -> str:
        request = rf.get("/stakeholders/")
        request.user = user
        filterset = StakeholderFilterSet(request.GET, queryset=Stakeholder.objects.visible_to(user), request=request)
        context = {"form": filterset.form, "fields": filterset.page_fields, "cache_key": filterset.page_form_key}
        return render_to_string("includes/form.html", context)

    staff = rendered(world.staff_co)
    partner = rendered(world.partner_co)
    assert world.co.name in staff and world.pe.name in staff
    assert world.pe.name in partner and world.co.name not in partner
    assert rendered(world.staff_co) == staff


def test_the_pages_regions_and_tags_are_those_the_prefetches_give(world):
    """The directory reads its page's regions and tags in one query; the export's prefetches are the plain path."""
    rows = add_stakeholders(world.co, 4)
    regions = list(Region.objects.filter(country=world.co).order_by("-name")[:3])
    tags = [Tag.objects.create(country=world.co, name=name) for name in ("Zonas", "árbol", "Minería")]
    rows[0].regions.set(regions)
    rows[0].tags.set(tags)
    rows[1].regions.set(regions[1:])
    rows[2].tags.set(tags[:1])
    queryset = Stakeholder.objects.filter(pk__in=[row.pk for row in rows]).order_by("pk")

    def shown(page):
        return [([row_values(r) for r in row.region_list], [row_values(t) for t in row.tag_list]) for row in page]

    plain = shown(views._with_tags(views._with_regions(queryset)))
    assert shown(views._with_regions_and_tags(list(queryset))) == plain
    assert len(plain[0][0]) == 3 and len(plain[0][1]) == 3 and plain[3] == ([], [])
    assert views._with_regions_and_tags([]) == []


def test_the_total_is_kept_until_a_stakeholder_changes(staff_client, world, django_capture_on_commit_callbacks):
    url = f"/stakeholders/?country={world.co.pk}"
    before = staff_client.get(url).context["page"].paginator.count
    assert staff_client.get(url).context["page"].paginator.count == before
    with django_capture_on_commit_callbacks(execute=True):
        add_stakeholders(world.co, 2)
    assert staff_client.get(url).context["page"].paginator.count == before + 2
