"""Who may do what through the API: the one place that states the write rules.

Rows a user may *see* come from `visible_to(user)` on every model's queryset; this module
adds what that cannot say: which resources are staff-only, and who may create, change or
delete. Read it as the rules:

- admin: everything;
- program staff: read everything; create, change and delete rows of their country teams
  (`editable_by(user)`), and a row they write must still be in their countries afterwards;
- partner: read what `visible_to` shows, never the staff-only resources; create engagements
  and outcomes in their own coalitions; attach files to the engagements and outcomes they
  recorded and the commitments they own (the attachments viewset checks which records); change
  only the status and evidence of commitments their organisation owns; nothing else;
- anonymous: nothing (401).

Out of sight is a 404, exactly like an id that does not exist; in sight but not the user's to
change is a 403; a body naming a row the user cannot see is a 400 (scoped related fields).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions

from core.access import is_staff_member

#: Resources (router basenames) and extra actions only admin and program staff may reach.
STAFF_ONLY = frozenset({"relationship", "assessment", "explorer", "initiative-map", "entrypoint"})

#: Resources a partner may create rows in, each inside the partner's own coalitions.
PARTNER_MAY_CREATE = frozenset({"engagement", "outcome", "attachment"})

#: Resources a partner may change, and the only fields they may change.
PARTNER_MAY_UPDATE = {"commitment": frozenset({"status", "evidence"})}

READ, CREATE, UPDATE, DELETE = "read", "create", "update", "delete"

_METHOD_ACTIONS = {"POST": CREATE, "PUT": UPDATE, "PATCH": UPDATE, "DELETE": DELETE}


def action_of(method: str) -> str:
    return _METHOD_ACTIONS.get(method, READ)


def may_reach(user, resource: str) -> bool:
    """May the user reach this kind of resource at all (before looking at rows)?"""
    return resource not in STAFF_ONLY or is_staff_member(user)


def may_attempt(user, resource: str, action: str) -> bool:
    """May the user attempt this action on this kind of resource (rows are checked later)?"""
    if not may_reach(user, resource):
        return False
    if action == READ or is_staff_member(user):
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


def resource_of(view) -> str:
    """The rule name of a request: the router basename, or `basename-action` for a staff-only extra action."""
    extra = f"{view.basename}-{getattr(view, 'action', '')}"
    return extra if extra in STAFF_ONLY else view.basename


class ApiPermission(permissions.BasePermission):
    """Applies the rules above to every viewset (uses `view.basename` as the resource name)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        resource = resource_of(view)
        detail = getattr(view, "detail", False)
        if not may_reach(user, resource):
            if detail:
                raise exceptions.NotFound  # a staff-only row does not exist for a partner
            return False
        if detail:
            # Rows are checked once found: out of sight is a 404 before any 403 (has_object_permission).
            return True
        return may_attempt(user, resource, action_of(request.method))

    def has_object_permission(self, request, view, obj) -> bool:
        action = action_of(request.method)
        if action == READ:
            return True
        return may_write_row(request.user, resource_of(view), action, obj)
