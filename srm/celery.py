"""Celery application of the SRM (Celery's Django guide layout)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")

app = Celery("srm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
