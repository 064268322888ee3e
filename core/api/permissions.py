"""The API's gate: the write rules of `core.access` applied to every request.

Rows a user may *see* come from `visible_to(user)` on every model's queryset; who may create,
change or delete, and which resources are staff-only, is stated once in `core.access` (the
partner portal asks the same rules). Out of sight is a 404, exactly like an id that does not
exist; in sight but not the user's to change is a 403; a body naming a row the user cannot see
is a 400 (scoped related fields); anonymous is a 401.
"""

from rest_framework import exceptions, permissions

from core.access import CREATE, DELETE, READ, STAFF_ONLY, UPDATE, may_attempt, may_reach, may_write_row

_METHOD_ACTIONS = {"POST": CREATE, "PUT": UPDATE, "PATCH": UPDATE, "DELETE": DELETE}


def action_of(method: str) -> str:
    return _METHOD_ACTIONS.get(method, READ)


def resource_of(view) -> str:
    """The rule name of a request: the router basename, or `basename-action` for a staff-only extra action."""
    extra = f"{view.basename}-{getattr(view, 'action', '')}"
    return extra if extra in STAFF_ONLY else view.basename


class ApiPermission(permissions.BasePermission):
    """Applies the rules of `core.access` to every viewset (uses `view.basename` as the resource name)."""

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
