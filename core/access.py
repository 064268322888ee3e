"""Who counts as program staff, and who may write what: the one statement of both, for the pages,
the partner portal and the API.

`staff_required` (pages) and the API's `ApiPermission` (staff-only resources) both ask
`is_staff_member`, as do the "may create" flags of the pages, so the answer to "is this a staff
member?" is written once. Row access is a different question, answered by `visible_to(user)`.

The write rules below (`may_attempt`, `may_write_row`, `partner_field_errors`) are the API's and
the partner portal's alike, so neither can accept what the other refuses. Read them as:

- admin: everything;
- reference data (countries, regions, municipalities: `REFERENCE_DATA`): read like any other resource, changed by
  admins only, in the API and the admin site alike;
- program staff: read everything; create, change and delete rows of their country teams
  (`editable_by(user)`), and a row they write must still be in their countries afterwards;
- partner: read what `visible_to` shows, never the staff-only resources; create engagements
  and outcomes in their own coalitions; change only the status and evidence of commitments
  their organisation owns; nothing else;
- anonymous: nothing.

A resource is named as the API's router names it (the model's name in lower case for the rows
partners write: `commitment`, `engagement`, `outcome`).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.db import models
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


def is_staff_member(user) -> bool:
    """Admins and program staff: the people who read every record through the staff pages."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_admin or user.is_program_staff)
    )


def staff_required(view):
    """The gate of every staff page: anonymous users go to the login page; anyone else signed in
    who is not staff (a partner) gets a 403 page pointing to the partner portal.

    Partners work in the partner portal and through the API (their own coalitions only); these
    pages show what program staff may read, so a partner who signs in here is told where to go. The wrapper carries
    `staff_only = True`, which the page test reads to find every staff page.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            return render(request, "registration/staff_only.html", status=403)
        return view(request, *args, **kwargs)

    wrapper.staff_only = True
    return wrapper


#: Resources (router basenames) and extra actions only admin and program staff may reach.
STAFF_ONLY = frozenset({"relationship", "assessment", "explorer", "initiative-map", "entrypoint", "networksnapshot"})

#: Resources a partner may create rows in, each inside the partner's own coalitions (attachments:
#: on the engagements and outcomes they recorded and the commitments they own, checked by the
#: attachments viewset through the attachables' registry).
PARTNER_MAY_CREATE = frozenset({"engagement", "outcome", "attachment"})

#: Resources a partner may change, and the only fields they may change.
PARTNER_MAY_UPDATE = {"commitment": frozenset({"status", "evidence"})}

#: Reference data (router basenames): the official lists every other row points at. Everyone who may
#: read reads them; only admins create, change or delete them (a staff token must not be able to
#: delete a country's departments).
REFERENCE_DATA = frozenset({"country", "region", "municipality"})

READ, CREATE, UPDATE, DELETE = "read", "create", "update", "delete"


def may_change_reference_data(user) -> bool:
    """Admins only: the API's reference-data resources and their admin pages ask this."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_admin)


def may_reach(user, resource: str) -> bool:
    """May the user reach this kind of resource at all (before looking at rows)?"""
    return resource not in STAFF_ONLY or is_staff_member(user)


def may_attempt(user, resource: str, action: str) -> bool:
    """May the user attempt this action on this kind of resource (rows are checked later)?"""
    if not may_reach(user, resource):
        return False
    if action == READ:
        return True
    if resource in REFERENCE_DATA:
        return may_change_reference_data(user)
    if is_staff_member(user):
        return True
    if user.is_partner:
        if action == CREATE:
            return resource in PARTNER_MAY_CREATE
        if action == UPDATE:
            return resource in PARTNER_MAY_UPDATE
    return False


def in_visible_coalition(user, obj: models.Model) -> bool:
    """Is the row's coalition one the user may see? For a partner, that is one of their own.

    The coalition model's `visible_to` holds the membership rule, so this module (below the
    coalitions app) neither names the model nor repeats the rule.
    """
    coalitions = type(obj)._meta.get_field("coalition").related_model.objects
    return obj.coalition_id is not None and coalitions.visible_to(user).filter(pk=obj.coalition_id).exists()


def may_write_row(user, resource: str, action: str, obj: models.Model) -> bool:
    """May the user write this row? Called before a change or delete and after a create or change.

    Checking after the write (inside the transaction) is what stops a staff member moving a
    row into another country, or a partner creating one in a coalition that is not theirs.
    """
    if not may_attempt(user, resource, action):
        return False
    if user.is_admin:
        return True
    if user.is_program_staff:
        return type(obj).objects.editable_by(user).filter(pk=obj.pk).exists()
    if user.is_partner:
        in_own_coalition = in_visible_coalition(user, obj)
        if action == CREATE:
            return in_own_coalition
        if action == UPDATE:
            return in_own_coalition and obj.owner_id == user.organisation_id
    return False


def partner_field_errors(user, resource: str, data) -> dict[str, list[str]]:
    """Fields in a partner's change that the partner may not change, with a message each."""
    allowed = PARTNER_MAY_UPDATE.get(resource)
    if not user.is_partner or allowed is None or not hasattr(data, "keys"):
        return {}
    message = str(_("Partners may change only these fields: %(fields)s.") % {"fields": ", ".join(sorted(allowed))})
    return {field: [message] for field in data if field not in allowed}
