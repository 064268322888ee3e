"""Settings for `make bench` only: the project's settings, plus the two baseline views and a query counter.

The baselines are not part of the product, so they exist only under these settings.
"""

from config.settings import *  # noqa: F403 - the bench runs the real settings, plus what follows
from config.settings import BASE_DIR, MIDDLEWARE

ROOT_URLCONF = "bench.urls"
# Counts queries and database time only for requests that ask (header X-Bench-Count), so the
# measured requests pay nothing for it.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
STATIC_ROOT = BASE_DIR / "bench" / ".staticfiles"
