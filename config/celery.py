"""The Celery application. Without CELERY_BROKER_URL tasks run in-process (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Celery's Django fix-up runs the system checks at every worker start, and the URL checks import
# every view module (the API schema, networkx, openpyxl): 40 MB more in the worker's main process
# and seconds of start-up for code that it never runs. `manage.py check` runs them (CI, deploys).
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
