"""Pieces every model shares: timestamps and the one place that scopes rows to a user."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base adding creation and modification times."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows who may read and who may change its rows.

    Every view, API endpoint and admin page reaches rows through `visible_to(user)`
    or `editable_by(user)`, so the access rules live here and in the per-model
    `visible_to_partner` overrides, nowhere else.

    - admin: everything;
    - program staff: read everything, change rows of their country teams;
    - partner: read what `visible_to_partner` allows (nothing by default), change nothing
      through this method (partner writes are narrow and checked by the API);
    - anyone else: nothing.
    """

    #: Lookups from this model to the Country a row belongs to; a row counts as in a
    #: country when any of them matches.
    country_lookups: tuple[str, ...] = ("country",)

    def visible_to(self, user) -> "ScopedQuerySet":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_admin or user.is_program_staff:
            return self.all()
        if user.is_partner:
            return self.visible_to_partner(user.organisation_id)
        return self.none()

    def visible_to_partner(self, organisation_id: int) -> "ScopedQuerySet":
        return self.none()

    def editable_by(self, user) -> "ScopedQuerySet":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_admin:
            return self.all()
        if user.is_program_staff:
            return self.in_countries(user.team_country_ids)
        return self.none()

    def in_countries(self, country_ids) -> "ScopedQuerySet":
        condition = Q()
        for lookup in self.country_lookups:
            condition |= Q(**{f"{lookup}__in": country_ids})
        return self.filter(condition)


class HttpsURLField(models.URLField):
    """A URL field whose form field assumes https:// when the scheme is left out.

    Django 6 makes this the default; saying it here keeps forms and admin free of the
    deprecation warning (the test suite treats warnings as errors).
    """

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
