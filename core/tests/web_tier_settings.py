"""The settings of the web processes `test_web_tier.py` starts: production's, read from the same
environment, except that static files are served without the collected manifest (collecting
takes longer than the whole test, and static files are not what it is about)."""

from config.settings import *  # noqa: F403 - the real settings, plus the line below
from config.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
