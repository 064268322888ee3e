from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Attachment


class MultipleFileInput(forms.ClearableFileInput):
    """Django's file input choosing several files (Django's documented way)."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class AttachmentUploadForm(forms.Form):
    """Files to attach to one record. Several files make several attachments (a service writes them,
    through the model's rules), so this is not a model form."""

    files = MultipleFileField(
        label=_("Files"),
        help_text=_("One or more files: PDF, images, office documents, CSV or text."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices, initial=Attachment.Kind.OTHER)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Left empty, each file is named after its file name."),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)
