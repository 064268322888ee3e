"""Who counts as program staff: the one predicate behind every staff page and the API.

`staff_required` (pages) and the API's `ApiPermission` (staff-only resources) both ask
`is_staff_member`, as do the "may create" flags of the pages, so the answer to "is this a staff
member?" is written once. Row access is a different question, answered by `visible_to(user)`.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


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
    who is not staff (a partner) gets a 403 page pointing to the API.

    Partners work through the API (their own coalitions only); these pages show what program staff
    may read, so a partner who signs in here is told where to go instead. The wrapper carries
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
