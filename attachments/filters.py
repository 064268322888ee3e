import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import BaseFilterSet

from .models import Attachment


class AttachmentFilterSet(BaseFilterSet):
    search_fields = ("title", "original_name")
    kind = django_filters.MultipleChoiceFilter(choices=Attachment.Kind.choices, distinct=False)
    target_id = django_filters.NumberFilter(label=_("Record"))

    class Meta:
        model = Attachment
        fields = ["kind", "target_id"]
