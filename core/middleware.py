"""Requests no route or query can mean: a control character in the path, a NUL in the query.

No path of this site holds a control character, and no value of any form or filter holds a NUL
(PostgreSQL refuses it in text, so a view that passes one to a query would answer 500). They are
refused here, once, for every route: a 404 for such a path, a 400 for such a query, in the API's
JSON error format under /api/ (core.api.exceptions) and as the site's error page elsewhere.
"""

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import bad_request, page_not_found

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
API_PREFIX = "/api/"


class StrictInputMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _CONTROL.search(request.path):
            return self._refuse(request, 404)
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            return self._refuse(request, 400)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, status: int) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            if status == 404:
                body = {"status": 404, "code": "not_found", "detail": _("Not found.")}
            else:
                body = {"status": 400, "code": "parse_error", "detail": _("The query holds a NUL character.")}
            return JsonResponse(body, status=status)
        if status == 404:
            return page_not_found(request, exception=None)
        return bad_request(request, exception=None)
