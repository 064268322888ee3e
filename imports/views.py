"""The staff import page: upload a file, map its columns (a profile fills the menus), dry run, import."""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core.access import staff_required
from core.importers import FileUnreadable, label_key, read_table
from core.imports import Profile, get_kind, guess_mapping, import_with_profile, kinds, sample_values

from .forms import MappingForm, UploadForm, find_profile
from .models import ImportProfile, ImportUpload

#: How long an uploaded file waits for its import before it is removed.
UPLOAD_LIFETIME = datetime.timedelta(days=1)
#: The rows read for the sample values beside each header.
SAMPLE_ROWS = 50


@staff_required
def import_start(request):
    user = request.user
    initial = {"kind": request.GET.get("kind", ""), "profile": request.GET.get("profile", "")}
    form = UploadForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        ImportUpload.objects.filter(created_at__lt=timezone.now() - UPLOAD_LIFETIME).delete()
        upload = form.cleaned_data["file"]
        row = ImportUpload.objects.create(
            owner=user,
            kind=form.cleaned_data["kind"],
            filename=upload.name[:255],
            content=upload.read(),
            profile=form.cleaned_data["profile"],
        )
        return redirect(row)
    # Each kind's columns, read off the registry, so the page documents exactly what the importers take.
    documented = [
        (kind, [target.name for target in kind.targets if target.derive is None])
        for kind in kinds().values()
        if kind.may_import(user)
    ]
    return render(request, "imports/import_start.html", {"form": form, "kinds": documented})


@staff_required
def import_map(request, pk: int):
    user = request.user
    upload = get_object_or_404(ImportUpload.objects.visible_to(user), pk=pk)
    kind = get_kind(upload.kind)
    if kind is None or not kind.may_import(user):
        raise Http404
    profile = find_profile(user, upload.profile)
    content = bytes(upload.content)
    try:
        table = read_table(content)
    except FileUnreadable as error:
        return render(request, "imports/import_map.html", {"upload": upload, "kind": kind, "unreadable": error.message})
    rows = [row for _number, row in zip(range(SAMPLE_ROWS), table.rows, strict=False)]
    samples = [sample_values(rows, position) for position in range(len(table.header))]
    guessed = guess_mapping(kind, table.header, profile)
    initial = {f"column_{position}": target for position, target in enumerate(guessed)}
    initial |= {f"fixed_{name}": value for name, value in (profile.fixed if profile else {}).items()}
    initial |= {
        "decimal_mark": profile.decimal_mark if profile else "",
        "aggregate": bool(profile and profile.aggregate),
    }
    form = MappingForm(
        request.POST or None, initial=initial, kind=kind, header=table.header, samples=samples, user=user
    )
    report = saved = None
    if request.method == "POST" and form.is_valid():
        dry_run = "import" not in request.POST
        effective = dataclasses.replace(
            profile or Profile(name="", kind=kind.name),
            fixed=form.fixed,
            decimal_mark=form.cleaned_data["decimal_mark"],
            aggregate=form.cleaned_data["aggregate"],
        )
        report = import_with_profile(
            kind=kind, table=read_table(content), mapping=form.mapping, profile=effective, user=user, dry_run=dry_run
        )
        if form.cleaned_data["save_as"]:
            saved = _save_profile(form, kind.name, table.header, effective, user)
        if report.ok and not dry_run:
            upload.delete()
    return render(
        request,
        "imports/import_map.html",
        {"upload": upload, "kind": kind, "profile": profile, "form": form, "report": report, "saved": saved},
    )


def _save_profile(form: MappingForm, kind: str, header: list[str], effective: Profile, user) -> ImportProfile | None:
    """Keep the mapping of this run under a name (the user's own profile of that name is replaced)."""
    row = ImportProfile.objects.filter(owner=user, kind=kind, name=form.cleaned_data["save_as"]).first()
    row = row or ImportProfile(owner=user, kind=kind, name=form.cleaned_data["save_as"])
    row.mapping = {label_key(name): target for name, target in zip(header, form.mapping, strict=True) if name.strip()}
    row.fixed, row.values = effective.fixed, effective.values
    row.decimal_mark, row.aggregate = effective.decimal_mark, effective.aggregate
    row.shared_with_country = form.cleaned_data["share_with"]
    try:
        row.full_clean()
    except ValidationError as error:
        for message in error.messages:
            form.add_error("save_as", message)
        return None
    row.save()
    return row
