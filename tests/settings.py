"""Test settings: the project's settings, with a private SQLite file and broker folder per run.

Several test runs may share one checkout (a developer and CI, or parallel sessions); each gets
its own embedded database and filesystem broker so one run's worker never eats another's jobs.
With DATABASE_URL / REDIS_URL set (CI), those real servers are used as configured.
"""

import os

from qianshan.settings import *  # noqa: F403
from qianshan.settings import CELERY_BROKER_URL, DATABASES, VAR_DIR

RUN_DIR = VAR_DIR / "test-runs" / str(os.getpid())
RUN_DIR.mkdir(parents=True, exist_ok=True)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(RUN_DIR / "test.sqlite3")}

if CELERY_BROKER_URL == "filesystem://":
    for sub in ("queue", "processed", "results", "control"):
        (RUN_DIR / "celery" / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(RUN_DIR / "celery" / "queue"),
        "data_folder_out": str(RUN_DIR / "celery" / "queue"),
        "processed_folder": str(RUN_DIR / "celery" / "processed"),
        "control_folder": str(RUN_DIR / "celery" / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{RUN_DIR / 'celery' / 'results'}"

MEDIA_ROOT = RUN_DIR / "media"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests render templates without a collectstatic manifest.
STORAGES = {
    "default": {"BACKEND": "qianshan.common.storage.SafeFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client and the live server speak plain http.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# axes' INFO lines for every failed login would drown the test output
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "axes": {"level": "ERROR"}}}  # noqa: F405
