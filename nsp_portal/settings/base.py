"""Settings shared by every environment; values come from the environment (django-environ).

Every setting a deployment may change is read from an environment variable listed in the
README ("Settings"). Defaults here are safe for development only where noted.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file beside manage.py is read when present (never committed).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",  # two-factor authentication for caseworkers and admins (accounts/two_factor.py)
    "django_otp.plugins.otp_totp",
    "audit",
    "accounts",
    "taxonomy",
    "vacancies",
    "candidates",
    "applications",
    "matching",
    "alerts",
    "talent",
    "conversations",
    "training",
    "routes",
    "workspace",
    "demo",
    "backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the middleware below, so the headers survive a replaced response (API errors, busy page);
    # after WhiteNoise, so static files stay cacheable. It reads request.user on the way out.
    "core.middleware.PrivateResponseMiddleware",  # personal data: no-store; the API varies on Authorization
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "core.middleware.ApiLanguageMiddleware",  # /api/ answers in the Accept-Language (docs/api.md)
    "core.middleware.ApiErrorMiddleware",  # every /api/ error is the JSON envelope (docs/api.md)
    "core.db_busy.DatabaseBusyMiddleware",  # a lock/statement timeout: 503 "busy, try again"
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the session's second factor
    "accounts.two_factor.TwoFactorMiddleware",  # caseworkers and admins: no page or session API call before it
    "accounts.language.UserLanguageMiddleware",  # a logged-in user's chosen language on every page
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it must see the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts, styles, fonts, frames and fetches from the portal's own
# origin only, no inline script or style (static/js, static/css), nobody may frame the portal. The API
# docs (Swagger UI, Redoc) loosen it per view in nsp_portal/api_urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "nsp_portal.urls"
WSGI_APPLICATION = "nsp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "accounts.context_processors.roles",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A web request gives up waiting for a lock after 5 s and on a statement after 20 s, well before
# gunicorn's 30 s timeout drops the connection: the user gets "busy, try again" (503) instead.
# In the connection's options, so no query per request; the worker (longer limits) and management
# commands (none) lift them per connection (core/db_busy.py, docs/operations.md).
DB_STATEMENT_TIMEOUT_MS = env.int("DB_STATEMENT_TIMEOUT_MS", default=20_000)
DB_LOCK_TIMEOUT_MS = env.int("DB_LOCK_TIMEOUT_MS", default=5_000)
DB_WORKER_STATEMENT_TIMEOUT_MS = env.int("DB_WORKER_STATEMENT_TIMEOUT_MS", default=600_000)
DB_WORKER_LOCK_TIMEOUT_MS = env.int("DB_WORKER_LOCK_TIMEOUT_MS", default=0)  # 0: bounded by the statement's
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = (
        f"{_db_options.get('options', '')} -c statement_timeout={DB_STATEMENT_TIMEOUT_MS}"
        f" -c lock_timeout={DB_LOCK_TIMEOUT_MS}"
        # JIT off for the web: pages run short queries on indexes, and PostgreSQL's JIT compiler
        # once spent 4.2 s compiling a 39 ms work-queue query (13.6 ms with jit=off; issue 15).
        # The worker and management commands turn it back on with the limits (core/db_busy.py).
        f" -c jit={'on' if env.bool('DB_WEB_JIT', default=False) else 'off'}"
    ).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# API throttling counters live in the cache: share it between web processes in production
# (CACHE_URL=redis://redis:6379/1 in docker-compose.yml); per process in the quick start.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first so that a locked-out login is refused before the password check.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading the user with their service and employer (accounts/backends.py).
    "accounts.backends.UserModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
# Two-factor authentication (django-otp TOTP): the name authenticator apps show for the account; wrong
# codes wait 1, 2, 4, 8 … seconds times this factor (docs/operations.md, "Two-factor authentication").
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="NSP Talent Portal")
OTP_TOTP_THROTTLE_FACTOR = env.int("OTP_TOTP_THROTTLE_FACTOR", default=1)

# Login throttling (django-axes): lock an account+IP pair after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The login form's field is Django's "username" (holding the email); axes would default to the
# model's USERNAME_FIELD ("email"), record no username and never lock the account+IP pair.
AXES_USERNAME_FORM_FIELD = "username"
# A clear, translated page (status 429) instead of axes' plain-text message.
AXES_LOCKOUT_CALLABLE = "accounts.views_public.lockout"
# axes' records (attempts, login logs) hold the typed address and the IP: deleted after this many
# days by beat (accounts.tasks.login_records_expire) and at once when the account is erased.
LOGIN_RECORDS_KEEP_DAYS = env.int("LOGIN_RECORDS_KEEP_DAYS", default=30)
# Password spraying (few passwords on many accounts from one address): also lock an address
# after this many failures over all accounts within the cool-off time (accounts/login_throttle.py).
AXES_HANDLER = "accounts.login_throttle.SprayAwareDatabaseHandler"
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=20)
# The client address axes records: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies
# (e.g. 1 for a TLS proxy in front of gunicorn) the address they report in X-Forwarded-For.
# 0 (no proxy): X-Forwarded-For is ignored, so a client cannot spoof its way out of a lock-out.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.login_throttle.client_ip_address"
# Bulk access to candidates' personal data (CV downloads, exports, profile pages; per user and
# clock hour, counted in the cache): an ERROR log line and an audit event from the alert
# threshold on, refusal (429) from the hard limit on (0: none). accounts/access_alerts.py.
PERSONAL_DATA_ALERT_PER_HOUR = env.int("PERSONAL_DATA_ALERT_PER_HOUR", default=200)
PERSONAL_DATA_LIMIT_PER_HOUR = env.int("PERSONAL_DATA_LIMIT_PER_HOUR", default=1000)

# Dutch first: the portal serves Zeeland and Flanders.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language cookie is read by the server only (no script needs it); Secure in production.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Beat deletes files in these media folders that no row references (a lost double submit, a crash
# between writing the file and the commit) once they are this old (an upload in flight is younger).
MEDIA_SWEEP_FOLDERS = env.list("MEDIA_SWEEP_FOLDERS", default=["cvs"])
MEDIA_ORPHAN_MIN_AGE_MINUTES = env.int("MEDIA_ORPHAN_MIN_AGE_MINUTES", default=60)
# Uploaded CVs are checked by the worker (applications.tasks.cv_check; docs/operations.md, "CV checks").
CV_MAX_PAGES = env.int("CV_MAX_PAGES", default=50)
CV_MAX_DECOMPRESSED_BYTES = env.int("CV_MAX_DECOMPRESSED_BYTES", default=50 * 1024 * 1024)
CV_CHECK_SECONDS = env.int("CV_CHECK_SECONDS", default=20)  # soft limit; the hard one is 10 s later
CV_CHECK_REQUEUE_MINUTES = env.int("CV_CHECK_REQUEUE_MINUTES", default=5)
CV_CHECK_MAX_ATTEMPTS = env.int("CV_CHECK_MAX_ATTEMPTS", default=3)
# Backups (backups/, docs/operations.md "Backup and restore"): `manage.py backup` writes there and
# keeps the BACKUP_KEEP newest; the erasure ledger file there is what a restore re-applies.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "var" / "backups")
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
BACKUP_INTERVAL_SECONDS = env.int("BACKUP_INTERVAL_SECONDS", default=24 * 3600)
# The erasure ledger's kinds → the function that erases again after a restore (called with user_id, candidate_id).
BACKUP_ERASURE_APPLIERS = {
    "jobseeker_account": "nsp_portal.privacy.account_erase_again",
    "employer_account": "nsp_portal.privacy.account_erase_again",
    "account": "nsp_portal.privacy.account_erase_again",
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads (CVs) are limited to 5 MB by the form; this keeps larger bodies out of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="NSP Talent Portal <noreply@nsp-talent.example>")
# The portal's public address, for the links in its emails (invitations, notifications).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# Mail is recorded in an outbox (accounts.OutgoingEmail) and sent by a Celery task, retried with
# exponential backoff (EMAIL_RETRY_BACKOFF seconds, doubled per retry, at most ..._MAX).
EMAIL_MAX_RETRIES = env.int("EMAIL_MAX_RETRIES", default=8)
EMAIL_RETRY_BACKOFF = env.int("EMAIL_RETRY_BACKOFF", default=30)
EMAIL_RETRY_BACKOFF_MAX = env.int("EMAIL_RETRY_BACKOFF_MAX", default=3600)
EMAIL_OUTBOX_KEEP_DAYS = env.int("EMAIL_OUTBOX_KEEP_DAYS", default=30)

# Celery: Redis as broker and result backend.
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=25 * 60)
# Services are idempotent, so a task may run again after a worker dies mid-way.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
# Don't hang a web request when the broker is down: fail fast, the outbox catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 5}
# acks_late on Redis: a task taken by a worker that dies is delivered again only after the
# broker's visibility_timeout. It must outlast the longest task (the hard time limit) and the
# longest countdown a retry waits in a worker (the mail's backoff), or a task still running or
# waiting would be delivered a second time. Rebuild parts need not wait for it: the rebuild
# watchdog sends them again after MATCHING_REBUILD_STALL_SECONDS (docs/operations.md).
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=max(CELERY_TASK_TIME_LIMIT, EMAIL_RETRY_BACKOFF_MAX) + 10 * 60
)
# The rebuild watchdog (matching.rebuild.rebuild_watchdog, on beat): a running rebuild without
# progress for STALL seconds gets its missing parts sent again; a part sent MAX_ATTEMPTS times fails it.
MATCHING_REBUILD_WATCHDOG_SECONDS = env.int("MATCHING_REBUILD_WATCHDOG_SECONDS", default=60)
MATCHING_REBUILD_STALL_SECONDS = env.int("MATCHING_REBUILD_STALL_SECONDS", default=120)
MATCHING_REBUILD_MAX_ATTEMPTS = env.int("MATCHING_REBUILD_MAX_ATTEMPTS", default=3)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The result backend too: Celery's default retries its Redis connection 20 times inside the
# request (a save waited ~19 s while Redis was down). No retry: the send fails at once, the outbox
# sends again later, and the next send after Redis is back connects anew.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 0}}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_BEAT_SCHEDULE = {
    "matching-rebuild-nightly": {
        "task": "matching.tasks.rebuild_all",
        "schedule": crontab(hour=2, minute=30),
    },
    "matching-sweep-pending": {
        "task": "matching.tasks.sweep_pending_rematches",
        "schedule": timedelta(seconds=env.int("MATCHING_SWEEP_SECONDS", default=30)),
    },
    "matching-rebuild-watchdog": {
        "task": "matching.tasks.rebuild_watchdog",
        "schedule": timedelta(seconds=MATCHING_REBUILD_WATCHDOG_SECONDS),
    },
    "vacancies-expire": {
        "task": "vacancies.tasks.expire_vacancies",
        "schedule": crontab(minute=15),
    },
    "vacancies-import-sweep": {
        "task": "vacancies.tasks.sweep_import_jobs",
        "schedule": timedelta(seconds=env.int("VACANCY_IMPORT_SWEEP_SECONDS", default=30)),
    },
    "accounts-email-sweep": {
        "task": "accounts.tasks.email_sweep",
        "schedule": timedelta(seconds=env.int("EMAIL_SWEEP_SECONDS", default=60)),
    },
    "audit-purge": {
        "task": "audit.tasks.audit_purge",
        "schedule": crontab(hour=3, minute=45),
    },
    "accounts-login-records-expire": {
        "task": "accounts.tasks.login_records_expire",
        "schedule": crontab(hour=4, minute=5),
    },
    # Job alerts (alerts.tasks): "immediately" every few minutes, the digests once a day / week.
    "alerts-immediately": {
        "task": "alerts.tasks.send_alerts",
        "schedule": timedelta(seconds=env.int("ALERTS_IMMEDIATE_SECONDS", default=300)),
        "args": ("immediately",),
    },
    "alerts-daily": {
        "task": "alerts.tasks.send_alerts",
        "schedule": crontab(hour=env.int("ALERTS_DIGEST_HOUR", default=7), minute=0),
        "args": ("daily",),
    },
    # Interviews (conversations.tasks): the reminder mail the day before, with the .ics.
    "conversations-interview-reminders": {
        "task": "conversations.tasks.interview_reminders",
        "schedule": crontab(minute=20),
    },
    "alerts-weekly": {
        "task": "alerts.tasks.send_alerts",
        "schedule": crontab(hour=env.int("ALERTS_DIGEST_HOUR", default=7), minute=0, day_of_week="monday"),
        "args": ("weekly",),
    },
    "applications-cv-check-sweep": {
        "task": "applications.tasks.cv_check_sweep",
        "schedule": timedelta(seconds=env.int("CV_CHECK_SWEEP_SECONDS", default=60)),
    },
    "applications-media-orphans-sweep": {
        "task": "applications.tasks.media_orphans_sweep",
        "schedule": crontab(minute=35),
    },
}

API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)  # deeper JSON bodies are a 400
# Seconds each check of /healthz and /readyz may take before it counts as down (core/health.py).
HEALTH_CHECK_TIMEOUT = env.float("HEALTH_CHECK_TIMEOUT", default=1.0)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Tokens for systems first (so an anonymous request gets 401 with WWW-Authenticate), sessions for browsers.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
        "accounts.authentication.ScopePermission",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PortalPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttles.AnonThrottle", "core.api.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
        "import": env("API_THROTTLE_IMPORT", default="60/hour"),
    },
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    # JSON bodies are measured (size, depth) before parsing: deep nesting made json recurse into a 500.
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NSP Talent Portal API",
    "DESCRIPTION": (
        "Vacancies, candidates, applications and matches of the North Sea Port Talent Portal. "
        "Browsers use their session; systems send `Authorization: Token <token>` (see docs/api.md). "
        "Every error has the body {status, code, detail, errors?}."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.postprocess_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "VacancyStatusEnum": "vacancies.models.VacancyStatus",
        "ApplicationStatusEnum": "applications.models.ApplicationStatus",
        "ReviewStatusEnum": "matching.models.ReviewStatus",
        "CountryEnum": "taxonomy.models.Country",
        "CountryOrOtherEnum": "candidates.models.ResidenceCountry",
        "EqfLevelEnum": "taxonomy.models.EqfLevel",
        "CefrLevelEnum": "taxonomy.models.CefrLevel",
        "DecisionEnum": "matching.serializers.DECISION_CHOICES",
        # Two choice sets of fields named "language": spoken languages and the portal's own.
        "LanguageEnum": "taxonomy.models.Language",
        "PortalLanguageEnum": [code for code, _name in LANGUAGES],
    },
}
# The largest vacancy import file (JSON or CSV) accepted; larger files are refused before parsing.
VACANCY_IMPORT_MAX_BYTES = env.int("VACANCY_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)

# The audit log (AI Act Art. 12, 19, 26(6)): events older than this are purged by beat; at least six months.
AUDIT_RETENTION_DAYS = max(183, env.int("AUDIT_RETENTION_DAYS", default=183))

# Matching.
MATCHING_TOP_K = env.int("MATCHING_TOP_K", default=50)
MATCHING_CHUNK_VACANCIES = env.int("MATCHING_CHUNK_VACANCIES", default=500)
# Vacancies per engine batch and engine threads (None: up to 4; 1 when workers share the cores).
MATCHING_ENGINE_CHUNK = env.int("MATCHING_ENGINE_CHUNK", default=128)
MATCHING_ENGINE_THREADS = env.int("MATCHING_ENGINE_THREADS", default=None)
MATCHING_ENGINE_ROW_CACHE_MB = env.int("MATCHING_ENGINE_ROW_CACHE_MB", default=256)
# Shards of a full rebuild (matching/sharding.py): 1 = every worker holds every candidate; N > 1 =
# each rebuild part is ranked per shard (candidate id % N) on queue "matching.shard.<s>", whose
# workers hold only that shard's candidates (docs/operations.md, "Sharded rebuilds").
MATCHING_SHARDS = max(1, env.int("MATCHING_SHARDS", default=1))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)
