"""Settings for a worker *subprocess* started by a test: the test's database and broker.

The parent test passes its test database name, broker folders and mail server through
``QIANSHAN_WORKER_*`` variables (see tests/notifications/test_email_killed_worker.py).
"""

import json
import os

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["QIANSHAN_WORKER_DB_NAME"]
DATABASES["default"]["TEST"] = {"NAME": os.environ["QIANSHAN_WORKER_DB_NAME"]}
CELERY_BROKER_URL = os.environ["QIANSHAN_WORKER_BROKER_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = json.loads(os.environ["QIANSHAN_WORKER_BROKER_OPTIONS"])
CELERY_RESULT_BACKEND = os.environ["QIANSHAN_WORKER_RESULT_BACKEND"]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["QIANSHAN_WORKER_SMTP_PORT"])
EMAIL_TIMEOUT = 60
