import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core.access import is_staff_member
from core.filters import BaseFilterSet, DateRangeFilter

from .models import ContactRequest, Explorer


class ExplorerFilterSet(BaseFilterSet):
    search_fields = ("name", "email", "organisation")
    status = django_filters.MultipleChoiceFilter(choices=Explorer.Status.choices, distinct=False)
    created_at = DateRangeFilter()

    class Meta:
        model = Explorer
        fields = ["country", "status", "preferred_language", "interests"]


def contact_request_owners(request: HttpRequest | None) -> QuerySet:
    """The `owner` choices: who owns the requests the user may read, for staff; for anyone else, nobody."""
    user = getattr(request, "user", None)
    if not is_staff_member(user):
        return get_user_model().objects.none()
    owners = ContactRequest.objects.visible_to(user).values("owner")
    return get_user_model().objects.filter(pk__in=owners).order_by("first_name", "last_name", "username")


class ContactRequestFilterSet(BaseFilterSet):
    search_fields = ("name", "organisation", "email", "message")
    page_filters = ("q", "status", "owner", "unowned", "country", "created_at")
    status = django_filters.MultipleChoiceFilter(
        choices=ContactRequest.Status.choices, distinct=False, widget=forms.CheckboxSelectMultiple, label=_("Status")
    )
    owner = django_filters.ModelChoiceFilter(queryset=contact_request_owners, empty_label=_("Anyone"))
    unowned = django_filters.BooleanFilter(field_name="owner", lookup_expr="isnull", label=_("Without an owner"))
    created_at = DateRangeFilter(label=_("Received"))

    class Meta:
        model = ContactRequest
        fields = ["status", "owner", "country"]
