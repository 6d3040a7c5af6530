"""Settings, read from the environment with embedded defaults that need no server.

Unset DATABASE_URL → a SQLite file under var/; unset REDIS_URL → Celery uses kombu's filesystem
transport under var/. See README.md for the production variables.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("QIANSHAN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    # A secret generated once per machine and kept in var/, so sessions survive restarts.
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Off unless asked for: a user never sees a traceback (make run sets what a local demo needs).
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "axes",
    "org",
    "notifications",
    "cases",
    "rectification",
    "acceptance",
    "scoring",
    "supervision",
    "oversight",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for pages and JSON only (qianshan/common/middleware.py says why not for files)
    "qianshan.common.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "org.middleware.IdleTimeoutMiddleware",
    "org.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    # last, as django-axes asks: it turns a lockout raised by authenticate() into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qianshan.urls"
WSGI_APPLICATION = "qianshan.wsgi.application"
ASGI_APPLICATION = "qianshan.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
                "org.context_processors.session_limits",
                "oversight.context_processors.nav",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
# Persistent connections: a new PostgreSQL connection costs 4–6 ms per request, so a server
# database keeps each worker thread's connection for CONN_MAX_AGE seconds (default 300), checked
# before reuse (CONN_HEALTH_CHECKS) so a restarted database never costs an error page. The
# embedded SQLite file opens in microseconds: 0 there unless set.
_DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'qianshan.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        conn_max_age=int(
            os.environ.get("CONN_MAX_AGE", "0" if _DATABASE_URL.startswith("sqlite") else "300")
        ),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + immediate transactions + a busy timeout: the web process and a Celery worker can
    # both write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DATABASE_JIT", False
):
    # PostgreSQL's JIT compiles a query whose estimated cost passes jit_above_cost; for this
    # system's figure queries (conditional counts with EXISTS subqueries) compiling took 100–400 ms
    # against a few ms of running. Off for this application's connections (DATABASE_JIT=1: on).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes first: it refuses a locked-out user name or IP before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Keeps Django's wording of form messages that rest_framework's catalog would override (locale/).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files -------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "qianshan.common.storage.SafeFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Evidence files are never served by URL: a view checks access first (see cases/views).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
# Background exports (notifications.domain.background): files kept this long, then deleted by beat;
# lists with fewer rows than JOB_DIRECT_MAX_ROWS are still downloaded directly in the request.
JOB_FILE_TTL_HOURS = int(os.environ.get("JOB_FILE_TTL_HOURS", "24"))
JOB_STALE_HOURS = int(os.environ.get("JOB_STALE_HOURS", "2"))
JOB_DIRECT_MAX_ROWS = int(os.environ.get("JOB_DIRECT_MAX_ROWS", "2000"))
# A PDF (weasyprint) of fewer table rows than this is still rendered in the request; an import
# (transfer-sheet confirm, task-list upload) writing fewer rows than this is still saved in it.
JOB_DIRECT_MAX_PDF_ROWS = int(os.environ.get("JOB_DIRECT_MAX_PDF_ROWS", "100"))
JOB_DIRECT_MAX_IMPORT_ROWS = int(os.environ.get("JOB_DIRECT_MAX_IMPORT_ROWS", "200"))
# Imported workbooks (qianshan/common/sheets.py): checked before and while they are read.
SHEET_MAX_BYTES = int(os.environ.get("SHEET_MAX_BYTES", 20 * 1024 * 1024))
SHEET_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("SHEET_MAX_UNCOMPRESSED_BYTES", 100 * 1024 * 1024))
SHEET_MAX_ROWS = int(os.environ.get("SHEET_MAX_ROWS", "20000"))
SHEET_MAX_COLUMNS = int(os.environ.get("SHEET_MAX_COLUMNS", "100"))
SHEET_MAX_CELL_CHARS = int(os.environ.get("SHEET_MAX_CELL_CHARS", "10000"))
# JSON imports (qianshan/common/jsonfile.py): size, nesting depth and digits of one number.
JSON_MAX_BYTES = int(os.environ.get("JSON_MAX_BYTES", 2 * 1024 * 1024))
JSON_MAX_DEPTH = int(os.environ.get("JSON_MAX_DEPTH", "20"))
JSON_MAX_NUMBER_CHARS = int(os.environ.get("JSON_MAX_NUMBER_CHARS", "30"))

# --- email ------------------------------------------------------------------------------------
# With no mail server configured, mail is written to the worker's log instead of failing.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "qianshan@localhost")
# A sender holds a notification this long before another may mail it (see notifications.domain).
EMAIL_CLAIM_SECONDS = int(os.environ.get("EMAIL_CLAIM_SECONDS", "300"))
# A queued job or an e-mail still unsent after this many minutes is 滞留: admins are notified
# (notifications.domain.alerts, hourly at most) and the admin lists can filter them.
OUTBOX_ALERT_MINUTES = int(os.environ.get("OUTBOX_ALERT_MINUTES", "15"))

# --- security (production sets DEBUG=0; HTTPS flags default on there) ------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
# Signed out after this many minutes without a request; a page warns a minute or two before.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))

# --- login and signing-password throttle (django-axes, see org/throttle.py, docs/security.md) --
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
# Either counter locks: one user name from anywhere, or one address trying any user names.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure with its address and time, in the admin
AXES_LOCKOUT_CALLABLE = "org.throttle.lockout_response"  # Chinese page with the wait time
AXES_VERBOSE = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts, styles, fonts, images and form targets from this
# site only; no plugin, no framing. Inline style *attributes* stay allowed (bar widths in the
# dashboards are computed per row); an inline <script> or <style> element is refused.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Celery -----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
# A page that queues a job must answer even when the broker is down: connect quickly, retry
# a bounded number of times, then give up (the job stays in the outbox, see notifications.jobs).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = 3
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# The longest task may run this long (hard limit; soft limit a minute earlier so it can log).
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "900"))
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# A hung Redis (accepts, never answers) must cost a page at most about a second: every socket
# read gives up after REDIS_SOCKET_TIMEOUT and a publish is not retried (the outbox retries).
REDIS_SOCKET_TIMEOUT = float(os.environ.get("REDIS_SOCKET_TIMEOUT", "0.5"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        # kombu's ensure_connection before a publish: no retry, the outbox keeps the job
        "max_retries": 0,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
        # An unacknowledged message (acks_late) returns to the queue after this long: longer than
        # the longest task, or a running task would be handed to a second worker.
        "visibility_timeout": CELERY_TASK_TIME_LIMIT + 300,
    }
    # The result store must not make a page wait either (Celery retries 20 times by default).
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
        "retry_policy": {"max_retries": 0, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
    }
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_SOCKET_TIMEOUT
    CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
else:
    _broker_dir = Path(os.environ.get("CELERY_FS_DIR", VAR_DIR / "celery"))
    for _sub in ("queue", "processed", "results", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_broker_dir / 'results'}"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- domain settings (docs/rules.md) -------------------------------------------------------------
PUBLICITY_DAYS = int(os.environ.get("PUBLICITY_DAYS", "5"))  # petition cases, docs/rules.md §4
TASK_PUBLICITY_DAYS = int(os.environ.get("TASK_PUBLICITY_DAYS", "7"))  # tasks, as published examples
# Acceptance/review deadlines: calendar days unless set to count working days (docs/rules.md §5).
DEADLINES_IN_WORKING_DAYS = env_bool("DEADLINES_IN_WORKING_DAYS", False)
DUE_SOON_DAYS = 7  # home page "due within 7 days"
# The home page's 待办事项 (qianshan/todo.py): each a function todo_items(user, today) -> list[dict].
# Adding an app's to-do entries is one line here.
TODO_PROVIDERS = [
    "cases.domain.todo.todo_items",
    "rectification.domain.todo.todo_items",
    "acceptance.domain.todo.todo_items",
    "supervision.domain.todo.todo_items",
    "scoring.domain.todo.todo_items",
    "oversight.domain.todo.todo_items",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # kombu warns in English ("No hostname was supplied") when the broker URL names no host
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "kombu": {"level": "ERROR"},
    },
}

# --- supervision (issue 7): 预警 thresholds in days, see supervision/domain/warnings.py -------
WARNING_BLUE_DAYS_BEFORE = int(os.environ.get("WARNING_BLUE_DAYS_BEFORE", "7"))  # blue: due within N days
WARNING_RED_DAYS_OVERDUE = int(os.environ.get("WARNING_RED_DAYS_OVERDUE", "7"))  # red: N days past due
NO_PROGRESS_DAYS = int(os.environ.get("NO_PROGRESS_DAYS", "7"))  # daily dispatch: no progress for N days
ASSESSMENT_ALERT_DAYS = int(
    os.environ.get("ASSESSMENT_ALERT_DAYS", "7")
)  # assessment calendar: alert N days ahead
LETTER_REPLY_DAYS = int(os.environ.get("LETTER_REPLY_DAYS", "7"))  # default reply deadline of a 督办函

# --- oversight (issue 14): leadership and discipline duties, see oversight/domain/reminders.py ----
STUDY_INTERVAL_MONTHS = int(os.environ.get("STUDY_INTERVAL_MONTHS", "2"))  # 党工委 studies every N months
STUDY_REMIND_DAYS_BEFORE = int(os.environ.get("STUDY_REMIND_DAYS_BEFORE", "7"))  # remind N days ahead
# from this day of the month, a month without a 纪工委 on-site inspection is reminded of
DISCIPLINE_INSPECTION_REMIND_DAY = int(os.environ.get("DISCIPLINE_INSPECTION_REMIND_DAY", "20"))

# --- exchange API (issue 16, docs/api.md) -----------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasResourceScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_client": os.environ.get("API_DEFAULT_RATE", "600/min"),  # sessions; clients have their own
        "open311": os.environ.get("API_PUBLIC_RATE", "120/min"),  # the public Open311 endpoint, per address
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# The nightly purge (api.tasks.purge_api_records) keeps call-log rows this many days; idempotency
# keys are kept API_IDEMPOTENCY_HOURS (a retry after that creates anew).
API_CALL_LOG_DAYS = int(os.environ.get("API_CALL_LOG_DAYS", "180"))
API_IDEMPOTENCY_HOURS = int(os.environ.get("API_IDEMPOTENCY_HOURS", "24"))
# On PostgreSQL the change feed holds back rows younger than this, so a row committed late by a
# concurrent transaction is never skipped (api/domain/events.py).
API_EVENTS_SETTLE_SECONDS = int(
    os.environ.get(
        "API_EVENTS_SETTLE_SECONDS", "2" if "postgresql" in DATABASES["default"]["ENGINE"] else "0"
    )
)
SPECTACULAR_SETTINGS = {
    "TITLE": "千山督察整改案件管理系统 数据交换接口",
    "DESCRIPTION": (
        "省级平台、12345/12369 热线和市级系统读取、报送案件与整改任务的接口。"
        "以令牌（Authorization: Bearer …）或登录会话访问；数据范围与页面相同；"
        "错误统一为 {errors: [{field, code, message}]}；时间为 ISO 8601（+08:00）。详见 docs/api.md。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "TAGS": [
        {"name": "inspections", "description": "督察轮次"},
        {"name": "cases", "description": "信访举报案件：列表、详情、新建、流转、进展、历史"},
        {"name": "tasks", "description": "整改任务：措施、时间节点、进展"},
        {"name": "acceptance", "description": "验收复核（只读）"},
        {"name": "warnings", "description": "预警"},
        {"name": "letters", "description": "督办函"},
        {"name": "reports", "description": "调度报告"},
        {"name": "scoring", "description": "考核结果"},
        {"name": "events", "description": "变更事件"},
        {"name": "open311", "description": "公开的公示数据（Open311 / GeoReport v2）"},
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "cases.enums.CaseState.choices",
        "TaskStatusEnum": "rectification.enums.TaskStatus.choices",
        "StepKindEnum": "acceptance.enums.StepKind.choices",
        "FormKindEnum": "acceptance.enums.FormKind.choices",
        "MeasureKindEnum": "rectification.enums.MeasureKind.choices",
        "ReportKindEnum": "supervision.enums.ReportKind.choices",
        "WarningStateEnum": "supervision.enums.WarningState.choices",
        "LetterStateEnum": "supervision.enums.LetterState.choices",
        "Open311StatusEnum": ["open", "closed"],
        "AttachmentKindEnum": "cases.enums.AttachmentKind.choices",
        "PhotoStageEnum": "cases.enums.PhotoStage.choices",
    },
}
# --- the record (issue 15): simple-history's revert is off; see qianshan/common/admin.py -------
SIMPLE_HISTORY_REVERT_DISABLED = True
