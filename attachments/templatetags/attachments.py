"""{% attachment_panel record %}: the files attached to a record, on its page (staff pages).

`{% attachment_panel record partner_upload=url %}` is the partner portal's panel: the form posts
to `url` (the portal's upload page) and shows when the partner may attach files to the record
(the attachables' registry, the API's rule); no delete links (partners delete no files) and no
progress-bar script (the portal's pages carry none).

Two queries whatever the number of files: the attachments (with who uploaded them) and whether
the user may change the record. Thumbnails and files load through their own access-checked URLs.
"""

from django import template

from ..forms import AttachmentUploadForm
from ..models import Attachment
from ..registry import attachable_for

register = template.Library()


@register.inclusion_tag("attachments/includes/attachment_panel.html", takes_context=True)
def attachment_panel(context, record, partner_upload: str = "") -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    entry = attachable_for(type(record)) if record is not None else None
    if entry is None or record.pk is None or user is None:
        return {"show": False}
    attachments = list(Attachment.objects.on(record).select_related("uploaded_by"))
    here = request.get_full_path()
    if partner_upload:
        may_attach = entry.records_a_partner_may_attach_to(user).filter(pk=record.pk).exists()
        return {
            "show": True,
            "record": record,
            "attachments": attachments,
            "can_edit": False,
            "form": AttachmentUploadForm(initial={"next": here}) if may_attach else None,
            "action": partner_upload,
            "progress": False,  # the portal's pages carry no script of their own: a plain form
            "here": here,
            "csrf_token": context.get("csrf_token"),
        }
    can_edit = entry.model._default_manager.editable_by(user).filter(pk=record.pk).exists()
    return {
        "show": True,
        "record": record,
        "label": record._meta.label_lower,
        "attachments": attachments,
        "can_edit": can_edit,
        "progress": True,
        "form": AttachmentUploadForm(initial={"next": here}) if can_edit else None,
        "here": here,
        "csrf_token": context.get("csrf_token"),
    }
