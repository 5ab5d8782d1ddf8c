"""Settings of the SRM, read from the environment (see .env.example).

Without any variable the app runs embedded: SQLite in the project folder, files on local disk,
Celery tasks in-process, mail to the console. Production sets DEBUG=0 and the variables below.
"""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "si", "sí", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


DEBUG = env_bool("DEBUG", default=False)
# Set only by srm/settings_pruebas.py: the embedded defaults (development key, plain HTTP).
TESTING = env_bool("SRM_TESTING", default=False)

_DEV_SECRET_KEY = "desarrollo-inseguro-no-usar-en-produccion-srm-subdere"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "Falta SECRET_KEY. Defina la variable de entorno SECRET_KEY (o DEBUG=1 para desarrollo)."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif SECRET_KEY == _DEV_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured("La SECRET_KEY de desarrollo no puede usarse en producción.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute address of the site, for links in e-mails.
SRM_URL_BASE = os.environ.get("SRM_URL_BASE", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin on the SRM's site (srm/admin_sitio.py), which hardens every model admin.
    "srm.apps.AdminSrmConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "axes",
    "csp",
    "bitacora",
    "habiles",
    "servicios",
    "programa",
    "formularios",
    "compromisos",
    "validacion",
    "calidad",
    "asistencia",
    "metas",
    "reportes",
    "tablero",
    "demo",
    "srm.apps.SrmConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the rest: it sees the final 404/405 and draws the site's page (srm/errores.py).
    "srm.errores.PaginasDeErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "srm.middleware.LimiteDeSolicitudMiddleware",
    "srm.middleware.SesionConDuracionMaximaMiddleware",
    "srm.middleware.RegistroDeAccesosDenegadosMiddleware",
    "srm.middleware.SinCacheParaSesionesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "srm.urls"
# Error pages in Spanish in every mode (srm/errores.py); SRM_ERRORES_TECNICOS=1 brings back
# Django's technical pages (tracebacks, URL lists) for a developer under DEBUG.
SRM_ERRORES_TECNICOS = env_bool("SRM_ERRORES_TECNICOS", default=False)
DEFAULT_EXCEPTION_REPORTER = "srm.errores.ReporteDeErrores"
CSRF_FAILURE_VIEW = "srm.errores.csrf_fallido"
WSGI_APPLICATION = "srm.wsgi.application"

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
                "srm.context_processors.navegacion",
            ],
        },
    },
]

# Database: SQLite file by default; DATABASE_URL selects PostgreSQL in production and CI.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock at BEGIN, so concurrent transitions serialise as on PostgreSQL.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's planner prices a random read at 4 sequential ones, a model of spinning
    # disks: on SSDs it scans whole tables where an index reads the 150 rows of a year
    # (the tablero's totals: 2.6 ms scanned, 0.4 ms by index). 1.1 is the usual SSD value;
    # empty keeps the server's own setting (e.g. behind a pooler that refuses options).
    costo = os.environ.get("SRM_PG_RANDOM_PAGE_COST", "1.1")
    if costo:
        opciones = DATABASES["default"].setdefault("OPTIONS", {})
        # Added to what DATABASE_URL may already set there (e.g. ?currentSchema= -> search_path).
        opciones["options"] = " ".join(
            filter(None, [opciones.get("options", ""), f"-c random_page_cost={float(costo)}"])
        )
    # With psycopg 3, server-side binding lets the driver prepare a statement once a connection
    # has run it `prepare_threshold` times: the pages' queries (the same text on every view)
    # are then planned by PostgreSQL once per connection, not on every request
    # (docs/rendimiento.md). SRM_PG_PREPARAR=0 turns it off (e.g. behind a transaction-mode
    # pooler, where a prepared statement may not be on the next transaction's connection).
    if importlib.util.find_spec("psycopg") and env_bool("SRM_PG_PREPARAR", True):
        opciones = DATABASES["default"].setdefault("OPTIONS", {})
        opciones.setdefault("server_side_binding", True)
        opciones.setdefault("prepare_threshold", env_int("SRM_PG_PREPARAR_TRAS", 2))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inicio"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (srm/ingreso.py): the account+address pair is locked for an hour after 5
# failures, and the account from any address after SRM_INTENTOS_POR_CUENTA.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
SRM_INTENTOS_POR_CUENTA = max(env_int("SRM_INTENTOS_POR_CUENTA", 20), AXES_FAILURE_LIMIT)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "srm.ingreso.ManejadorIngreso"
# The client's address is REMOTE_ADDR. Only when SRM_PROXIES_CONFIABLES reverse proxies stand
# in front (1 for the usual nginx) is X-Forwarded-For read, and then only the entry written by
# the nearest one: the client writes the rest, and could give itself new tries with it.
SRM_PROXIES_CONFIABLES = env_int("SRM_PROXIES_CONFIABLES", 0)
AXES_CLIENT_IP_CALLABLE = "srm.ingreso.direccion_cliente"
AXES_LOCKOUT_TEMPLATE = "registration/bloqueado.html"
# Password reset links asked per hour: for one address (more are silently not sent) and from
# one client (more are refused with a message).
SRM_RECUPERACION_POR_CORREO = env_int("SRM_RECUPERACION_POR_CORREO", 3)
SRM_RECUPERACION_POR_CLIENTE = env_int("SRM_RECUPERACION_POR_CLIENTE", 10)

# Sessions: idle timeout plus an absolute lifetime from login. The idle timeout is renewed by
# srm.middleware at most once every SRM_SESSION_RENEW_SECONDS, not on every request (which
# wrote the session row on every GET).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False
SRM_SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SRM_SESSION_MAX_SECONDS = env_int("SESSION_MAX_HOURS", 10) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "es-cl"
LANGUAGES = [("es-cl", "Español (Chile)")]
TIME_ZONE = "America/Santiago"
USE_I18N = True
# Dates with the year as dd-mm-aaaa and a thousands dot (srm/formatos/es_CL); the SRM's own
# figures go through srm/formato.py.
FORMAT_MODULE_PATH = ["srm.formatos"]
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"  # never served directly: downloads go through permission-checking views
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Files (medios de verificación and reports) go through Django's default storage: the local
# disk, or an S3-compatible bucket when SRM_S3_BUCKET is set (pip install "srm[s3]").
if os.environ.get("SRM_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["SRM_S3_BUCKET"],
            "endpoint_url": os.environ.get("SRM_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("SRM_S3_REGION") or None,
            "access_key": os.environ.get("SRM_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("SRM_S3_SECRET_KEY") or None,
            # Private objects, never overwritten; downloads still go through the SRM's views.
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }

# Uploads: the per-file limit is checked by the upload validators; this caps a whole request.
SRM_MAX_UPLOAD_BYTES = env_int("SRM_MAX_UPLOAD_MB", 25) * 1024 * 1024
# All of one request (several files at once): refused before it is read (srm/middleware.py).
SRM_MAX_SOLICITUD_BYTES = max(
    env_int("SRM_MAX_SOLICITUD_MB", 60) * 1024 * 1024, SRM_MAX_UPLOAD_BYTES + 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Larger uploads are counted, hashed and looked at as they arrive (compromisos/validators.py),
# so a medio is read once; small ones stay in memory, as Django does by default.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "compromisos.validators.SubidaRevisadaHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640

# E-mail: console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
    # For the file-based backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend).
    EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH") or None
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "SRM SUBDERE <no-responder@subdere.gob.cl>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: Redis when a broker is configured; otherwise tasks run in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
# Longer than the longest task, so a task acknowledged late is not delivered twice meanwhile.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
# A worker that loses the broker stops its long tasks: the redelivered copy is the only one.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = TIME_ZONE

# Shared cache (the tablero's rendered pages and the version of their data): Redis when one is
# configured, so every gunicorn worker and the Celery worker see the same version; otherwise
# memory of this one process, enough for the embedded deployment.
CACHE_URL = (
    os.environ.get("CACHE_URL")
    or os.environ.get("REDIS_URL")
    or (CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "")
)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "srm",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a rendered tablero may be served at most: a bound on staleness from writes that
# bypass the signals which invalidate it (see tablero/cache.py).
SRM_TABLERO_CACHE_SEGUNDOS = env_int("SRM_TABLERO_CACHE_SEGUNDOS", 600)
SRM_REPORTES_DIAS_RETENCION = env_int("SRM_REPORTES_DIAS_RETENCION", 180)
# Celery beat: deadline reminders every morning, the analysts' digest every evening.
SRM_DIAS_AVISO_PLAZO = env_int("SRM_DIAS_AVISO_PLAZO", 5)
# A report whose progress has not beaten for this long has lost its worker (reportes.services).
SRM_MINUTOS_SIN_LATIDO = env_int("SRM_MINUTOS_SIN_LATIDO", 3)
CELERY_BEAT_SCHEDULE = {
    "recordatorios-de-plazos": {
        "task": "compromisos.tasks.enviar_recordatorios",
        "schedule": crontab(hour=env_int("SRM_HORA_RECORDATORIOS", 8), minute=0),
    },
    # Technical assistance: consultas close to their deadline in días hábiles, or past it.
    "recordatorios-de-consultas": {
        "task": "asistencia.tasks.recordar_consultas",
        "schedule": crontab(hour=env_int("SRM_HORA_RECORDATORIOS", 8), minute=10),
    },
    "resumen-diario-de-avisos": {
        "task": "bitacora.tasks.enviar_resumenes_diarios",
        "schedule": crontab(hour=env_int("SRM_HORA_RESUMEN", 18), minute=0),
    },
    # Reports: the consolidated report the morning after each informe deadline, and the
    # weekly resumen ejecutivo e-mailed to jefatura.
    "reportes-tras-plazos": {
        "task": "reportes.tasks.programar_reportes_de_plazos",
        "schedule": crontab(hour=env_int("SRM_HORA_REPORTES", 6), minute=30),
    },
    # Retention: generated reports older than SRM_REPORTES_DIAS_RETENCION days are deleted.
    "purgar-reportes-antiguos": {
        "task": "reportes.tasks.purgar_reportes_antiguos",
        "schedule": crontab(hour=env_int("SRM_HORA_PURGA_REPORTES", 4), minute=45),
    },
    # Every minute: a report whose worker died is shown "detenido" within minutes.
    "reportes-detenidos": {
        "task": "reportes.tasks.cerrar_reportes_detenidos",
        "schedule": crontab(minute="*"),
    },
    # Safety net for the tablero's running totals (tablero/resumenes.py), kept on every write.
    "resumenes-del-tablero": {
        "task": "tablero.tasks.recalcular_resumenes",
        "schedule": crontab(hour=env_int("SRM_HORA_RESUMENES", 3), minute=15),
    },
    # The División's indicators computed from the SRM's records (metas app), every night.
    "metas-indicadores-calculados": {
        "task": "metas.tasks.calcular_indicadores",
        "schedule": crontab(hour=env_int("SRM_HORA_INDICADORES", 3), minute=40),
    },
    # The month's metas report (a PDF per department, the Excel), after the nightly figures.
    "metas-reporte-mensual": {
        "task": "reportes.tasks.programar_reportes_de_metas",
        "schedule": crontab(day_of_month=1, hour=env_int("SRM_HORA_INDICADORES", 3) + 1, minute=0),
    },
    "resumen-semanal-jefatura": {
        "task": "reportes.tasks.programar_resumen_semanal",
        "schedule": crontab(
            day_of_week=os.environ.get("SRM_DIA_RESUMEN_SEMANAL", "mon"),
            hour=env_int("SRM_HORA_RESUMEN_SEMANAL", 7),
            minute=0,
        ),
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy: only our own assets; no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if not DEBUG and not TESTING:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"simple": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "simple"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Replaces Django's own console logger, so development messages print once.
        "django": {
            "handlers": ["console"],
            "level": "INFO" if DEBUG else "WARNING",
            "propagate": False,
        },
        "srm.seguridad": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
