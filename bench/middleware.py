import time

from django.db import connection


class QueryCountMiddleware:
    """When a request carries `X-Bench-Count: 1`, answer how many queries it ran and their time.

    The harness sends such requests apart from the timed load, so the timed requests are not
    slowed down by the counting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("X-Bench-Count") != "1":
            return self.get_response(request)
        timings: list[float] = []

        def count(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timings.append(time.perf_counter() - started)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(len(timings))
        response["X-Bench-DB-ms"] = f"{sum(timings) * 1000:.3f}"
        return response
