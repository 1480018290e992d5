"""Settings for the learning portal.

Every value that differs between a laptop and production is read from the environment
(django-environ); `.env.example` lists them all. Production differs from development only
through those variables.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Production (docs/deploy.md): HTTPS hardening, whitenoise's hashed and compressed static files, and
# settings that fail loudly when missing. Gated on this, not on DEBUG (live_server runs with DEBUG off).
PRODUCTION = env.bool("DJANGO_PRODUCTION", default=False)
if PRODUCTION and DEBUG:
    raise environ.ImproperlyConfigured("DJANGO_DEBUG must be off when DJANGO_PRODUCTION is on.")
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="" if PRODUCTION else "dev-only-insecure-key")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_PRODUCTION is on.")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
if not ALLOWED_HOSTS:
    raise environ.ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the site's hosts when DJANGO_PRODUCTION is on.")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "django_htmx",
    "template_partials",
    "csp",
    # The layers, bottom to top (docs/architecture.md; import-linter holds them).
    "portal",
    "content",
    "progress",
    "quizzes",
    "cohorts",
    "home",
]

MIDDLEWARE = [
    "portal.middleware.RequestLogMiddleware",  # first: its request id and duration cover everything below
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.HtmxLoginRedirectMiddleware",
    "portal.middleware.HtmxMessagesMiddleware",
    "portal.middleware.LearnerTimeZoneMiddleware",
]

ROOT_URLCONF = "home.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.partial",
                "portal.context_processors.roles",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must not lose a write when two requests write at once: write-ahead logging
    # (readers never block the writer), transactions that take the write lock when they begin
    # (a read-then-write transaction cannot fail to upgrade), and a wait for the lock instead of an error.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("DJANGO_SQLITE_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- The default cache: one that every worker shares (issue 12, login rate limits) -----------------
# allauth counts failed sign-ins and its other rate limits in the default cache. A per-process cache
# (locmem) gives each gunicorn worker its own count: N workers let N times the attempts through.
# Redis when REDIS_URL is set, else a table in the database (made by portal's migration 0004,
# `createcachetable`). The tests use a per-process cache cleared per test (tests/conftest.py).
REDIS_URL = env.str("REDIS_URL", default="")
# Django's default of 300 entries would cull live rate-limit counters (one per address and IP) once a
# class signs in (culling drops a third of the table at a time).
DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "portal_cache",
    "OPTIONS": {"MAX_ENTRIES": env.int("DJANGO_CACHE_MAX_ENTRIES", default=100_000)},
}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": DATABASE_CACHE}
# --- end of the default cache ---------------------------------------------------------------------

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "portal.backends.EmailAuthenticationBackend",  # allauth's, but only an address the account owns
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A session ends after this long without a request (portal.middleware.SessionIdleTimeoutMiddleware; 0: never),
# and at the latest two weeks after the sign-in (Django's SESSION_COOKIE_AGE).
SESSION_IDLE_MINUTES = env.int("DJANGO_SESSION_IDLE_MINUTES", default=120)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: e-mail address as the login, no usernames.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up and password reset never tell whether an address has an account (docs/security.md): that
# takes mandatory verification, by a code typed on the next page, so sign-up continues in the same tab
# to its ?next page. One address per account, changed only after the new one is verified.
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_FORMS = {
    "signup": "portal.forms.SignupForm",
    "add_email": "portal.forms.AddEmailForm",
    "reset_password": "portal.forms.ResetPasswordForm",
}
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# Rate limits (allauth's defaults, but sign-in failures): an attacker gets 10 guesses an address per
# quarter hour and 100 an hour from one IP address; the owner is never kept from a password reset
# (its own limit), and a successful reset clears the address's failures. Behind a proxy, allauth must
# know how many proxies set X-Forwarded-For, or every visitor shares the proxy's address and its limit.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,100/h/ip,10/15m/key"}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="portal@localhost")

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
# English only: without the translation machinery every rendered value skips a language lookup
# (docs/performance-notes.md).
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production: whitenoise serves the files collectstatic wrote, with hashed names (cached for ten years,
# "immutable"), gzip and Brotli copies, from every app server (no separate static server needed).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

# Content Security Policy: no inline script, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True  # Django's default, stated: no script reads the session cookie
CSRF_COOKIE_HTTPONLY = True  # the token reaches htmx from the page ({{ csrf_token }}), never from the cookie
SILENCED_SYSTEM_CHECKS: list[str] = []
if PRODUCTION:
    # Behind a load balancer that ends TLS and sets X-Forwarded-Proto (docs/deploy.md); it must
    # overwrite any X-Forwarded-Proto a client sends.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # /healthz answers the load balancer's plain-HTTP probe on the private network without a redirect.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    # Preloading is the domain owner's one-way choice (browsers keep the list for months): off unless set.
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Silenced checks, each with its reason in docs/deploy.md ("Silenced checks").
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")  # HSTS preload not chosen
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS.append("security.W008")  # the load balancer redirects HTTP to HTTPS

# Uploads (the admin's GIFT import) are held in memory and never written to the app server's disk:
# the memory handler alone, and a larger body is refused with a 400 (portal.uploads). The import form
# refuses a file over 2 MB itself, with that message.
FILE_UPLOAD_HANDLERS = ["portal.uploads.MemoryOnlyUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

# Logs go to standard output (gunicorn and the process manager collect them), one line per request
# from portal.middleware.RequestLogMiddleware; every record carries the request's id (RequestIdFilter).
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.logs.RequestIdFilter"}},
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's errors (django.request's report of an unhandled exception) reach the one handler,
        # not Django's default ones (a second console handler under DEBUG, mail to ADMINS).
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "portal.request": {"level": env.str("DJANGO_REQUEST_LOG_LEVEL", default="INFO")},
    },
}

# Where the course text lives (see docs/content-format.md).
CONTENT_DIR = env.path("PORTAL_CONTENT_DIR", default=BASE_DIR / "content" / "courses")
QUESTION_BANK_DIR = env.path("PORTAL_QUESTION_BANK_DIR", default=BASE_DIR / "quizzes" / "bank")
