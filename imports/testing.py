"""Driving the import page in tests, as a user does: upload, keep the mapping the page fills in,
dry run, import. Shared by the tests of every app whose files go through it."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def mapping_data(form) -> dict:
    """The mapping form's fields as the page fills them in (from the profile and the aliases)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        data[name] = "on" if value is True else value
    return data


def import_through_page(
    client,
    *,
    kind: str,
    content: bytes,
    filename: str = "data.csv",
    profile: str = "",
    changes=None,
    dry_run_only=False,
):
    """The responses of the dry run and of the import (None when the dry run failed or only it was asked)."""
    upload = SimpleUploadedFile(filename, content)
    response = client.post(reverse("imports:start"), {"kind": kind, "profile": profile, "file": upload})
    assert response.status_code == 302, response.context["form"].errors
    url = response.url
    data = mapping_data(client.get(url).context["form"]) | (changes or {})
    dry = client.post(url, {**data, "dry_run": "1"})
    if dry_run_only or not dry.context["report"].ok:
        return dry, None
    return dry, client.post(url, {**data, "import": "1"})
