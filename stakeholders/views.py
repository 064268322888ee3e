"""Staff pages for stakeholders: the directory, a stakeholder's page, the forms and the network."""

from django.contrib import messages
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Prefetch, Q, Value
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from core.access import is_staff_member, staff_required
from core.exports import table_download
from core.search import search_ordering
from core.services import row_delete
from core.short_tables import kept_count, kept_drawing
from core.views import confirm_action, get_editable_or_403, get_editable_or_404, get_visible_or_404
from countries.models import Country, Region

from . import services
from .filters import StakeholderFilterSet
from .forms import ContactForm, RelationshipForm, StakeholderForm
from .models import Contact, Relationship, Stakeholder, Tag

PAGE_SIZE = 50

#: The directory's sort options: the query value and the ordering it stands for.
SORTS = {
    "name": ("name", "pk"),
    "country": ("country__name", "name", "pk"),
    "sector": ("sector", "name", "pk"),
    "level": ("level", "name", "pk"),
    "updated": ("updated_at", "pk"),
}


def _ordering(sort: str) -> tuple[str, ...]:
    key = sort.removeprefix("-")
    if key not in SORTS:
        return SORTS["name"]
    if sort.startswith("-"):
        return tuple(f"-{field}" if field != "pk" else "-pk" for field in SORTS[key])
    return SORTS[key]


def _filtered(request) -> tuple[StakeholderFilterSet, object]:
    """The API's FilterSet, built the same way (with the request), and its rows in the chosen order."""
    filterset = StakeholderFilterSet(
        request.GET,
        queryset=Stakeholder.objects.visible_to(request.user).select_related("country", "organisation"),
        request=request,
    )
    # A search lists its best matches first, in the chosen order within each rank (core.search).
    rows = filterset.qs
    return filterset, rows.order_by(*search_ordering(rows, _ordering(request.GET.get("sort", "name"))))


def _with_labels(stakeholders):
    """The rows (with their prefetched `region_list`) with their translated labels, for the page and the CSV.

    Each label table is translated once per list: `get_FOO_display()` translates every choice of
    the field at each call.
    """
    sectors, levels, kinds = (
        {value: str(label) for value, label in choices.choices}
        for choices in (Stakeholder.Sector, Stakeholder.Level, Stakeholder.Kind)
    )
    rows = list(stakeholders)
    for row in rows:
        row.sector_label = sectors.get(row.sector, row.sector)
        row.level_label = levels.get(row.level, row.level)
        row.kind_label = kinds.get(row.kind, row.kind)
    return rows


def _with_regions(queryset):
    # A list per row rather than a related manager per row; no join to order by country.
    return queryset.prefetch_related(
        Prefetch(
            "regions", queryset=Region.objects.order_by("name", "pk").only("pk", "name", "code"), to_attr="region_list"
        )
    )


def _with_tags(queryset):
    # The directory's rows show their tags, and so does its download.
    return queryset.prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("key", "pk").only("pk", "name"), to_attr="tag_list")
    )


#: The columns the directory's rows show (and their labels read): the page loads only these, not
#: each row's description, or every column of its organisation.
DIRECTORY_COLUMNS = (
    "name",
    "acronym",
    "kind",
    "sector",
    "level",
    "updated_at",
    "country__code",
    "country__name",
    "organisation__name",
)


def _loaded(model, db: str, **columns):
    """A row of `model` loaded with these columns only, as `.only()` would load it (from_db takes
    them in the model's column order)."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in columns]
    return model.from_db(db, names, [columns[name] for name in names])


def _with_regions_and_tags(stakeholders: list[Stakeholder]) -> list[Stakeholder]:
    """A page of rows with their `region_list` and `tag_list`, as `_with_regions` and `_with_tags` give them.

    In one query, the two link tables' rows together with the columns the lists show, in the
    prefetches' orders: for a page of rows the prefetches cost two queries and, above all, the
    machinery of a related manager for each row. The export keeps the prefetches (the plain path; a
    test holds the two equal).
    """
    ids = [row.pk for row in stakeholders]
    if not ids:
        return stakeholders
    text = CharField()
    regions = (
        Stakeholder.regions.through.objects.filter(stakeholder_id__in=ids)
        .annotate(relation=Value(0), sort_key=F("region__name"), row_id=F("region_id"))
        .annotate(label=F("region__name"), code=F("region__code"))
        .values_list("stakeholder_id", "relation", "sort_key", "row_id", "label", "code")
    )
    tags = (
        Stakeholder.tags.through.objects.filter(stakeholder_id__in=ids)
        .annotate(relation=Value(1), sort_key=F("tag__key"), row_id=F("tag_id"))
        .annotate(label=F("tag__name"), code=Value("", output_field=text))
        .values_list("stakeholder_id", "relation", "sort_key", "row_id", "label", "code")
    )
    lists = {row.pk: ([], []) for row in stakeholders}
    db = regions.db
    for stakeholder_id, relation, _key, pk, label, code in regions.union(tags, all=True).order_by(
        "relation", "sort_key", "row_id"
    ):
        if relation == 0:
            lists[stakeholder_id][0].append(_loaded(Region, db, id=pk, name=label, code=code))
        else:
            lists[stakeholder_id][1].append(_loaded(Tag, db, id=pk, name=label))
    for row in stakeholders:
        row.region_list, row.tag_list = lists[row.pk]
    return stakeholders


#: The tables the directory's results show besides those their query reads: the rows, their countries,
#: organisations (stakeholders too), regions and tags.
RESULTS_TABLES = (Stakeholder, Country, Region, Tag)


def _results(request, queryset) -> dict:
    """The page of rows the request asks for (`page`), with their labels, regions and tags (`stakeholders`)."""
    paginator = Paginator(queryset.only(*DIRECTORY_COLUMNS), PAGE_SIZE)
    # The total reads every matching row: kept until a table it reads changes (core.short_tables).
    paginator.count = kept_count(queryset)
    page = paginator.get_page(request.GET.get("page"))
    return {"page": page, "stakeholders": _with_regions_and_tags(_with_labels(page.object_list))}


def _kept_results(request, queryset, results) -> str:
    """The directory's results (total, table, page links), kept under the versions of the tables their
    query reads and they show, which every write drops (core.short_tables).

    The key names the query (the reader's scope as `visible_to` wrote it, the filters, the order) and
    every query parameter, which the sort, export and page links keep, so a reader finds the results
    without reading a row, and the rows are read only when they are not found. A query that reads a
    table without a version is drawn each time.
    """

    def draw() -> str:
        rows = {"page": results["page"], "stakeholders": results["stakeholders"]}
        return render_to_string("stakeholders/includes/directory_results.html", rows, request=request)

    # The rows' ids say which rows, in which order, as well as the whole rows do, and cost less to write.
    try:
        sql, params = queryset.values_list("pk").query.sql_with_params()
    except EmptyResultSet:
        sql, params = "", ()  # no query at all, no rows
    return kept_drawing(
        "stakeholders/directory_results", sql, RESULTS_TABLES, draw, params, sorted(request.GET.lists())
    )


@staff_required
def stakeholder_list(request):
    filterset, queryset = _filtered(request)
    # Read only when the kept results are missing (or a test looks at them).
    results = SimpleLazyObject(lambda: _results(request, queryset))
    context = {
        "filterset": filterset,
        "page": SimpleLazyObject(lambda: results["page"]),
        "stakeholders": SimpleLazyObject(lambda: results["stakeholders"]),
        "results": _kept_results(request, queryset, results),
        # Like the coalition list: staff see the button, and the form itself needs a country team.
        "can_create": is_staff_member(request.user),
        "nav_section": "stakeholders",
    }
    # With HTMX, filters, sort and pages swap only the results: the filter form stays as it is.
    template = "stakeholders/includes/directory_swap.html" if request.htmx else "stakeholders/stakeholder_list.html"
    return render(request, template, context)


#: The export's columns: the model fields the import reads, headed by their verbose names (which
#: the import accepts in either language), after the id the import updates a row by.
EXPORT_FIELDS = (
    "name",
    "acronym",
    "kind",
    "sector",
    "level",
    "country",
    "regions",
    "municipality",
    "organisation",
    "website",
    "description",
    "tags",
)


@staff_required
def stakeholder_export(request):
    """The directory's filtered list, same filters and order as on the page, in the import's columns:
    CSV in UTF-8 with a BOM (`?sep=;` for Excel with Spanish settings) or `?format=xlsx`. Headers and
    labels are in the active language, countries, regions and municipalities are codes, and each row carries its id,
    so the file imports back unchanged and a corrected file updates the rows (stakeholders.importers)."""
    queryset = _with_tags(_with_regions(_filtered(request)[1])).select_related("municipality")
    header = [_("Id"), *(str(Stakeholder._meta.get_field(name).verbose_name).capitalize() for name in EXPORT_FIELDS)]
    rows = (
        (
            stakeholder.pk,
            stakeholder.name,
            stakeholder.acronym,
            stakeholder.kind_label,
            stakeholder.sector_label,
            stakeholder.level_label,
            stakeholder.country.code,
            "; ".join(region.code or region.name for region in stakeholder.region_list),
            stakeholder.municipality.code if stakeholder.municipality else "",
            stakeholder.organisation.name if stakeholder.organisation else "",
            stakeholder.website,
            stakeholder.description,
            "; ".join(tag.name for tag in stakeholder.tag_list),
        )
        for stakeholder in _with_labels(queryset)
    )
    stamp = timezone.localdate().isoformat()
    return table_download(request, f"stakeholders-{stamp}", header, rows)


def _visible_stakeholder(request, pk: int) -> Stakeholder:
    """The stakeholder the user may see, with `can_edit` (whether they may change it) in the same query."""
    user = request.user
    editable = Stakeholder.objects.editable_by(user).filter(pk=OuterRef("pk"))
    return get_visible_or_404(
        Stakeholder.objects.select_related("country", "organisation", "municipality").annotate(
            can_edit=Exists(editable)
        ),
        user,
        pk=pk,
    )


@staff_required
def stakeholder_detail(request, pk: int):
    """The profile and contacts, in eight queries. The rest of the record is in panels that the page
    loads after its first paint (htmx), each a page of its own linked for a browser without script:
    its possible duplicates (for those who may merge them), its relationships and files, and its
    coalitions, assessments and engagements."""
    user = request.user
    stakeholder = _visible_stakeholder(request, pk)
    # One list per relation, read once: the template's `.all` would query again.
    stakeholder.region_list = list(stakeholder.regions.all())
    stakeholder.tag_list = list(stakeholder.tags.all())
    context = {
        "stakeholder": stakeholder,
        "can_edit": stakeholder.can_edit,
        "contacts": Contact.objects.visible_to(user).filter(stakeholder=stakeholder),
        "people": stakeholder.people.all(),
        "nav_section": "stakeholders",
    }
    return render(request, "stakeholders/stakeholder_detail.html", context)


def _panel(request, name: str, context: dict):
    """A panel of the stakeholder page: bare for the page's htmx request, else a page of its own."""
    context = {**context, "nav_section": "stakeholders"}
    if request.htmx:
        return render(request, f"stakeholders/includes/stakeholder_{name}.html", context)
    return render(request, f"stakeholders/stakeholder_{name}.html", context)


@staff_required
def stakeholder_ties(request, pk: int):
    """A panel of the stakeholder page: its relationships, both ways, and its attached files."""
    user = request.user
    stakeholder = _visible_stakeholder(request, pk)
    relationships = list(
        Relationship.objects.visible_to(user)
        .filter(Q(source=stakeholder) | Q(target=stakeholder))
        .select_related("source__country", "target__country")
    )
    context = {
        "stakeholder": stakeholder,
        "can_edit": stakeholder.can_edit,
        "relationships_out": [rel for rel in relationships if rel.source_id == stakeholder.pk],
        "relationships_in": [rel for rel in relationships if rel.source_id != stakeholder.pk],
    }
    return _panel(request, "ties", context)


@staff_required
def stakeholder_duplicates(request, pk: int):
    """A panel of the stakeholder page, for those who may change it: look-alikes of the same country,
    which they may then merge into this record (none for the others)."""
    stakeholder = _visible_stakeholder(request, pk)
    duplicates = stakeholder.possible_duplicates() if stakeholder.can_edit else []
    return _panel(request, "duplicates", {"stakeholder": stakeholder, "possible_duplicates": duplicates})


@staff_required
def stakeholder_involvement(request, pk: int):
    """A panel of the stakeholder page: its coalitions and roles, assessments and engagements."""
    stakeholder = get_visible_or_404(Stakeholder.objects.select_related("country"), request.user, pk=pk)
    return _panel(request, "involvement", {"stakeholder": stakeholder})


def _form_page(request, form, *, title: str, cancel_url: str, stakeholder=None):
    context = {"form": form, "title": title, "cancel_url": cancel_url, "stakeholder": stakeholder}
    context["possible_duplicates"] = getattr(form, "possible_duplicates", [])
    context["nav_section"] = "stakeholders"
    return render(request, "stakeholders/form.html", context, status=400 if form.is_bound else 200)


@staff_required
def stakeholder_create(request):
    if not Country.objects.editable_by(request.user).exists():
        return render(request, "403.html", status=403)
    initial = {"country": request.GET.get("country")}
    form = StakeholderForm(request.POST or None, user=request.user, initial=initial)
    if form.is_valid():
        with transaction.atomic():
            stakeholder = form.save()
        messages.success(request, _("Stakeholder “%(name)s” added.") % {"name": stakeholder.name})
        return redirect(stakeholder)
    return _form_page(request, form, title=_("Add a stakeholder"), cancel_url=reverse("stakeholders:stakeholder_list"))


@staff_required
def stakeholder_edit(request, pk: int):
    stakeholder = get_editable_or_403(Stakeholder.objects.all(), request.user, pk=pk)
    form = StakeholderForm(request.POST or None, instance=stakeholder, user=request.user)
    if form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("Changes saved."))
        return redirect(stakeholder)
    return _form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": stakeholder.name},
        cancel_url=stakeholder.get_absolute_url(),
        stakeholder=stakeholder,
    )


@staff_required
def contact_create(request, pk: int):
    stakeholder = get_editable_or_403(Stakeholder.objects.all(), request.user, pk=pk)
    form = ContactForm(request.POST or None, instance=Contact(stakeholder=stakeholder))
    if form.is_valid():
        form.save()
        messages.success(request, _("Contact added."))
        return redirect(stakeholder)
    return _form_page(
        request,
        form,
        title=_("Add a contact to %(name)s") % {"name": stakeholder.name},
        cancel_url=stakeholder.get_absolute_url(),
        stakeholder=stakeholder,
    )


@staff_required
def contact_edit(request, pk: int):
    contact = get_editable_or_403(Contact.objects.select_related("stakeholder"), request.user, pk=pk)
    form = ContactForm(request.POST or None, instance=contact)
    if form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(contact.stakeholder)
    return _form_page(
        request,
        form,
        title=_("Edit contact %(name)s") % {"name": contact.name},
        cancel_url=contact.stakeholder.get_absolute_url(),
        stakeholder=contact.stakeholder,
    )


@staff_required
def relationship_create(request, pk: int):
    stakeholder = get_editable_or_403(Stakeholder.objects.all(), request.user, pk=pk)
    form = RelationshipForm(request.POST or None, source=stakeholder, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Relationship added."))
        return redirect(stakeholder)
    return _form_page(
        request,
        form,
        title=_("Add a relationship from %(name)s") % {"name": stakeholder.name},
        cancel_url=stakeholder.get_absolute_url(),
        stakeholder=stakeholder,
    )


@staff_required
def relationship_edit(request, pk: int):
    relationship = get_editable_or_403(Relationship.objects.select_related("source", "target"), request.user, pk=pk)
    form = RelationshipForm(request.POST or None, instance=relationship, source=relationship.source, user=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, _("Changes saved."))
        return redirect(relationship.source)
    return _form_page(
        request,
        form,
        title=_("Edit relationship"),
        cancel_url=relationship.source.get_absolute_url(),
        stakeholder=relationship.source,
    )


@staff_required
def relationship_delete(request, pk: int):
    """Asks first; out of the user's edit scope (another country, a partner) is a 404."""
    relationship = get_editable_or_404(Relationship.objects.select_related("source", "target"), request.user, pk=pk)

    def perform():
        row_delete(obj=relationship, user=request.user)
        messages.success(request, _("Relationship removed."))
        return redirect(relationship.source)

    return confirm_action(
        request,
        title=_("Remove the relationship from %(source)s to %(target)s")
        % {"source": relationship.source, "target": relationship.target},
        consequences=[
            _("The relationship (%(kind)s) is deleted; its history stays, and the removal is recorded.")
            % {"kind": relationship.get_kind_display()},
        ],
        button=_("Remove the relationship"),
        cancel_url=relationship.source.get_absolute_url(),
        perform=perform,
    )


@staff_required
def stakeholder_merge(request, pk: int, other: int):
    """Merge `other` (a duplicate) into the stakeholder `pk`: a GET shows what moves, a POST moves it.

    Both must be the user's to change and of one country; anything else is a 404.
    """
    keep = get_editable_or_404(Stakeholder.objects.select_related("country"), request.user, pk=pk)
    remove = get_editable_or_404(Stakeholder.objects.exclude(pk=keep.pk), request.user, pk=other, country=keep.country)

    def perform():
        services.stakeholder_merge(keep=keep, remove=remove, user=request.user)
        messages.success(request, _("“%(removed)s” merged into “%(kept)s”.") % {"removed": remove, "kept": keep})
        return redirect(keep)

    moves = [
        _("%(what)s: %(count)d move to “%(kept)s”.") % {"what": what, "count": count, "kept": keep}
        for what, count in services.stakeholder_merge_preview(keep=keep, remove=remove)
    ]
    return confirm_action(
        request,
        title=_("Merge “%(removed)s” into “%(kept)s”") % {"removed": remove, "kept": keep},
        consequences=[
            *moves,
            _(
                "Where both have the same row (members of one coalition, assessed the same day, the same "
                "region), one is kept: the earlier membership, otherwise the one of “%(kept)s”. A relationship "
                "between the two is removed."
            )
            % {"kept": keep},
            _("“%(removed)s” is then deleted; its history stays, and the merge is recorded.") % {"removed": remove},
        ],
        button=_("Merge"),
        cancel_url=keep.get_absolute_url(),
        perform=perform,
    )
