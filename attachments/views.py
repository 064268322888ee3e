"""The attachments of a record: upload from its page, download, thumbnail, delete (staff pages;
partners attach through the API and the partner portal, whose upload page uses `upload_response`).
A file and its thumbnail are served to whoever may see the record (its `visible_to`), partners too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from core.access import staff_required
from core.views import confirm_action, get_editable_or_403, get_editable_or_404, get_visible_or_404

from . import registry, services
from .forms import AttachmentUploadForm
from .models import Attachment
from .serving import file_response
from .uploads import limit_uploads


def _back(request, target, value: str = "", default: str = "") -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return default or target.get_absolute_url()


# The size limit must be in front of the upload handlers before the body is read, and Django's
# CSRF check reads the body: the view is exempt from the middleware's check and makes it itself,
# after the limit is in place (Django's documented way to change upload handlers in a view).
@csrf_exempt
@staff_required
@require_POST
def attachment_upload(request, model: str, pk: int):
    """Attach one or more files to a record the user may change (403 for one they only read)."""
    limit = limit_uploads(request)
    return _attachment_upload(request, model, pk, limit)


@csrf_protect
def _attachment_upload(request, model: str, pk: int, limit):
    entry = registry.attachable(model)
    if entry is None:
        raise Http404
    target = get_editable_or_403(entry.model._default_manager, request.user, pk=pk)
    return upload_response(request, target, limit)


def upload_response(request, target, limit, default_back: str = ""):
    """Attach the posted files to `target` (the caller has checked the user may) through the service,
    tell what happened in messages and go back to the page. Shared by the staff page and the portal."""
    form = AttachmentUploadForm(request.POST, request.FILES)
    back = _back(request, target, request.POST.get("next", ""), default_back)
    errors = [
        _("%(name)s: the file is larger than %(limit)s MB.") % {"name": name, "limit": limit.limit // (1024 * 1024)}
        for name in limit.too_large
    ]
    if not form.is_valid():
        if not errors:
            errors += [str(error) for field_errors in form.errors.values() for error in field_errors]
    elif not errors:
        try:
            created = services.attachments_create(
                target=target,
                uploads=form.cleaned_data["files"],
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                user=request.user,
            )
        except ValidationError as error:
            errors += error.messages
        else:
            messages.success(
                request,
                ngettext("%(count)s file attached.", "%(count)s files attached.", len(created))
                % {"count": len(created)},
            )
    for error in errors:
        messages.error(request, error)
    if request.headers.get("X-Attachment-Upload") == "progress":  # the progress bar's request (upload.js)
        # Without the fragment: on the same page, a fragment alone would not load the page again.
        return JsonResponse({"next": back})
    return redirect(f"{back}#attachments")


@login_required
def attachment_download(request, pk: int):
    """The file, for someone who may see its record (a partner too: the portal lists them); a 404
    exactly like a missing one otherwise."""
    return file_response(get_visible_or_404(Attachment.objects, request.user, pk=pk))


@login_required
def attachment_thumbnail(request, pk: int):
    return file_response(get_visible_or_404(Attachment.objects, request.user, pk=pk), thumbnail=True)


@staff_required
def attachment_delete(request, pk: int):
    attachment = get_editable_or_404(Attachment.objects.select_related("target_type"), request.user, pk=pk)
    target = attachment.target
    back = _back(request, target, request.GET.get("next", ""))

    def perform():
        services.attachment_delete(attachment=attachment, user=request.user)
        messages.success(request, _("The attachment “%(title)s” was deleted.") % {"title": attachment.title})
        return redirect(f"{back}#attachments")

    return confirm_action(
        request,
        title=_("Delete the attachment “%(title)s”") % {"title": attachment.title},
        consequences=[
            _("The file %(name)s is removed from %(record)s and from the storage.")
            % {"name": attachment.original_name, "record": target},
            _("The deletion is recorded in the history."),
        ],
        button=_("Delete the attachment"),
        cancel_url=back,
        perform=perform,
    )
