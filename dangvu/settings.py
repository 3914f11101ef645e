"""dangvu settings: one module, driven by typed environment variables (see dangvu/env.py).

Defaults are safe for production except the database, which defaults to an SQLite file under
DANGVU_DATA_DIR so that a fresh machine runs with zero setup. docs/deployment.md lists every variable.
"""

from __future__ import annotations

from pathlib import Path

from dangvu.env import database_from_url, envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(envstr("DANGVU_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = envbool("DEBUG", False)
# A stable development key is only acceptable when DEBUG is asked for; production must set one.
SECRET_KEY = envstr("SECRET_KEY", "dev-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    # Generated once per data folder so that the zero-setup demo keeps its sessions across restarts.
    _key_file = DATA_DIR / "secret_key"
    if _key_file.exists():
        SECRET_KEY = _key_file.read_text().strip()
    else:
        import secrets

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        SECRET_KEY = secrets.token_urlsafe(50)
        _key_file.write_text(SECRET_KEY)
        _key_file.chmod(0o600)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "dangvu.web.errors.csrf_failure"  # in the site's layout, in the user's language

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "treebeard",
    "ninja",  # serves the API docs (Swagger UI) from local static files, allowed by the CSP
    "dangvu.rules",
    "dangvu.accounts",
    "dangvu.orgs",
    "dangvu.members",
    "dangvu.imports",
    "dangvu.admission",
    "dangvu.transfers",
    "dangvu.meetings",
    "dangvu.reviews",
    "dangvu.discipline",
    "dangvu.inspection",
    "dangvu.letters",
    "dangvu.docregister",
    "dangvu.targets",
    "dangvu.study",
    "dangvu.notify",
    "dangvu.congress",
    "dangvu.library",
    "dangvu.fees",
    "dangvu.alerts",
    "dangvu.documents",
    "dangvu.api",
    "dangvu.web",
    "dangvu.demo",
    "django_tasks",
    "django_tasks_db",
    "dangvu.tasks",
    "dangvu.ops",
]

MIDDLEWARE = [
    "dangvu.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "dangvu.web.boundary.PermissionsPolicyMiddleware",
    # Every error under /api/ in the API's JSON format (a bare 405, an unknown address).
    "dangvu.api.errors.ApiErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dangvu.accounts.middleware.SessionRefreshMiddleware",  # right after SessionMiddleware
    "dangvu.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Oversized requests are refused before their body is read; then query parameters and page forms lose
    # control, bidirectional and zero-width characters (dangvu/web/boundary.py, issue 16).
    "dangvu.web.boundary.RequestSizeMiddleware",
    "dangvu.web.boundary.CleanInputMiddleware",
    "dangvu.accounts.middleware.TwoFactorMiddleware",
    "dangvu.accounts.middleware.PasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware should be the last middleware (django-axes docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dangvu.urls"
WSGI_APPLICATION = "dangvu.wsgi.application"

# Every form renders its errors beside its fields, a summary on top, sections (issue 9 item 9).
FORM_RENDERER = "dangvu.web.forms.Renderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangvu.web.context.navigation",
                "dangvu.web.context.languages",
            ],
        },
    }
]

DATABASES = {"default": database_from_url(envstr("DATABASE_URL", f"sqlite:///{DATA_DIR / 'dangvu.sqlite3'}"), BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-factor authentication (TOTP) for staff roles. The demo sets DANGVU_TWO_FACTOR=0.
TWO_FACTOR_REQUIRED = envbool("DANGVU_TWO_FACTOR", True)
OTP_TOTP_ISSUER = "dangvu"

# Log-in throttling (django-axes): lock a username+IP after N failures for a cool-off period.
AXES_FAILURE_LIMIT = envint("DANGVU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("DANGVU_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dangvu.accounts.views.locked"
AXES_VERBOSE = False

# Sessions expire after inactivity (seconds): each request that uses the session pushes its expiry back, by
# writing it again at most every SESSION_REFRESH_SECONDS (dangvu.accounts.middleware.SessionRefreshMiddleware,
# instead of SESSION_SAVE_EVERY_REQUEST's write per request). A session ends between SESSION_COOKIE_AGE minus
# that window (at most a quarter of the age) and SESSION_COOKIE_AGE after its last request, never later.
SESSION_COOKIE_AGE = envint("DANGVU_SESSION_SECONDS", 8 * 3600)
SESSION_REFRESH_SECONDS = envint("DANGVU_SESSION_REFRESH_SECONDS", 300)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Security headers. HTTPS-only settings follow DANGVU_HTTPS (on in production behind TLS).
HTTPS = envbool("DANGVU_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS and envbool("DANGVU_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("DANGVU_BEHIND_PROXY", False) else None
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = envint("DANGVU_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LANGUAGE_CODE = "vi"
# Each language is named in itself, untranslated, as language switches do ("English", not "Tiếng Anh");
# written here in NFC (Django's own LANG_INFO spells "Tiếng Việt" decomposed).
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "dangvu" / "locale"]
# Thousands separator "." in Vietnamese (2.459), "," in English; used by |intcomma and
# dangvu.rules.presentation.number. Plain {{ n }} stays ungrouped (ids in links, data attributes).
FORMAT_MODULE_PATH = ["dangvu.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# Place written in the date line of generated party documents ("Cần Thơ, ngày … tháng … năm …").
DANGVU_DOCUMENT_PLACE = envstr("DANGVU_DOCUMENT_PLACE", "Cần Thơ")
# Address of the site in e-mails (meeting invitations and reminders).
DANGVU_SITE_URL = envstr("DANGVU_SITE_URL", "http://127.0.0.1:8000")

# E-mail: an SMTP server when EMAIL_HOST is set; otherwise messages are written to the log (development).
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "dangvu@localhost")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Request bodies refused (413) by their Content-Length before they are read (dangvu.web.boundary).
DANGVU_REQUEST_MAX_BYTES = envint("DANGVU_REQUEST_MAX_BYTES", 21 * 1024 * 1024)
DANGVU_API_MAX_BYTES = envint("DANGVU_API_MAX_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Shared state (issue 10 item 3). With REDIS_URL: the cache, the sessions and the log-in throttling (axes)
# live in Redis, shared by every process on every machine. Without it (the embedded default): a per-process
# memory cache that holds nothing that must agree across processes, sessions and axes in the database.
REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": envstr("DANGVU_CACHE_PREFIX", "dangvu"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dangvu"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# Background work (issue 10 items 1-2): Django's tasks API (django-tasks backport) on the database backend
# of django-tasks-db, run by `dangvu worker` (dangvu.tasks). Retries back off from this many seconds.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DANGVU_TASK_BACKOFF_SECONDS = envint("DANGVU_TASK_BACKOFF_SECONDS", 30)
DANGVU_WORKER_HEARTBEAT_SECONDS = envint("DANGVU_WORKER_HEARTBEAT_SECONDS", 5)
DANGVU_WORKER_DEAD_AFTER_SECONDS = envint("DANGVU_WORKER_DEAD_AFTER_SECONDS", 30)
# Daily deadline digest per office (local time) and how often meeting notices are looked for.
DANGVU_DIGEST_AT = envstr("DANGVU_DIGEST_AT", "06:30")
DANGVU_NOTICES_EVERY_MINUTES = envint("DANGVU_NOTICES_EVERY_MINUTES", 5)
# Notifications (issue 14 item 6, dangvu.notify.backends): SMS through this class ("" turns the channel off;
# the console class writes the message to the log and sends nothing); Web Push only when both VAPID keys and
# a sender class are set (none is shipped).
DANGVU_SMS_BACKEND = envstr("DANGVU_SMS_BACKEND", "dangvu.notify.backends.ConsoleSms")
DANGVU_VAPID_PUBLIC_KEY = envstr("DANGVU_VAPID_PUBLIC_KEY", "")
DANGVU_VAPID_PRIVATE_KEY = envstr("DANGVU_VAPID_PRIVATE_KEY", "")
DANGVU_PUSH_BACKEND = envstr("DANGVU_PUSH_BACKEND", "")
# Double submissions (issue 16 item 11): how long a spent one-time form token and an API Idempotency-Key
# are remembered (a form older than this is refused; hourly cleanup, dangvu/web/jobs.py, dangvu/api/jobs.py).
DANGVU_ONCE_HOURS = envint("DANGVU_ONCE_HOURS", 24)
# Days the ledger of e-mails sent by tasks is kept (dangvu.tasks.mail: a retried task does not send again).
DANGVU_SENT_MAIL_DAYS = envint("DANGVU_SENT_MAIL_DAYS", 30)
# Two-factor enrolment (issue 16 item 8): an enrolment code from an administrator is valid this long; this
# many wrong codes in DANGVU_ENROLMENT_WINDOW_MINUTES block further attempts until the window has passed.
DANGVU_ENROLMENT_CODE_HOURS = envint("DANGVU_ENROLMENT_CODE_HOURS", 72)
DANGVU_ENROLMENT_ATTEMPTS = envint("DANGVU_ENROLMENT_ATTEMPTS", 5)
DANGVU_ENROLMENT_WINDOW_MINUTES = envint("DANGVU_ENROLMENT_WINDOW_MINUTES", 15)
# "Forgot password" requests from one address per hour (counted in the database, dangvu.accounts.passwords).
DANGVU_PASSWORD_REQUESTS_PER_HOUR = envint("DANGVU_PASSWORD_REQUESTS_PER_HOUR", 5)

# Lists
PAGE_SIZE = envint("DANGVU_PAGE_SIZE", 50)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Logs: one JSON object per line with the request id (or task id), or plain text for a terminal.
LOG_FORMAT = envstr("DANGVU_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "dangvu.lib.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "dangvu.lib.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": "text" if LOG_FORMAT == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    "loggers": {"dangvu": {"level": envstr("DANGVU_LOG_LEVEL", "INFO")}},
}

# Member import (dangvu.imports): every check and apply is a background task with a progress bar;
# the upload size limit; the writer thread that overlaps PostgreSQL COPY with validation.
DANGVU_IMPORT_MAX_BYTES = envint("DANGVU_IMPORT_MAX_BYTES", 60 * 1024 * 1024)
# An XLSX's parts decompressed, at most (and at most 100 times the file: dangvu.lib.uploads).
DANGVU_IMPORT_MAX_UNPACKED_BYTES = envint("DANGVU_IMPORT_MAX_UNPACKED_BYTES", 600 * 1024 * 1024)
DANGVU_IMPORT_WRITER_THREAD = envbool("DANGVU_IMPORT_WRITER_THREAD", True)
