"""{% attachment_panel record %}: the files attached to a record, on its page (staff pages).

Two queries whatever the number of files: the attachments (with who uploaded them) and whether
the user may change the record. Thumbnails and files load through their own access-checked URLs.
"""

from django import template

from ..forms import AttachmentUploadForm
from ..models import Attachment
from ..registry import attachable_for

register = template.Library()


@register.inclusion_tag("attachments/includes/attachment_panel.html", takes_context=True)
def attachment_panel(context, record) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    entry = attachable_for(type(record)) if record is not None else None
    if entry is None or record.pk is None or user is None:
        return {"show": False}
    attachments = list(Attachment.objects.on(record).select_related("uploaded_by"))
    can_edit = entry.model._default_manager.editable_by(user).filter(pk=record.pk).exists()
    here = request.get_full_path()
    return {
        "show": True,
        "record": record,
        "label": record._meta.label_lower,
        "attachments": attachments,
        "can_edit": can_edit,
        "form": AttachmentUploadForm(initial={"next": here}) if can_edit else None,
        "here": here,
        "csrf_token": context.get("csrf_token"),
    }
