"""The benchmark's settings (docs/performance.md): the portal's, production-like, on plain HTTP.

`from portal.settings import *`, then: DEBUG off; the manifest static storage (hashed names,
compressed, served by whitenoise) with collectstatic into the bench's own STATIC_ROOT; persistent
connections; the `bench` app (its data builder), the baseline page (bench/urls.py) and the
query-count header (bench/middleware.py), which exist only here.

Unlike production it serves plain HTTP on 127.0.0.1: no SSL redirect, HSTS or secure cookies
(a load generator on loopback speaks HTTP; TLS would be the proxy's work in production anyway).

The database is its own: BENCH_DATABASE_URL when set (bench/run.py sets it for each of its
databases), else `portal_bench` on PostgreSQL when 127.0.0.1:5432 answers, else a SQLite file
under bench/.data/.
"""

import socket

from portal.settings import *  # noqa: F403
from portal.settings import BASE_DIR, INSTALLED_APPS, MIDDLEWARE, env

BENCH_DIR = BASE_DIR / "bench"
BENCH_DATA_DIR = BENCH_DIR / ".data"


def postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


DEFAULT_POSTGRES_URL = "postgres://portal:portal@127.0.0.1:5432/portal_bench"
DEFAULT_SQLITE_URL = f"sqlite:///{BENCH_DATA_DIR / 'sqlite' / 'run.sqlite3'}"

DEBUG = False
PRODUCTION = False  # plain HTTP on loopback (see above); everything else as in production
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="bench-only-insecure-key-" + "x" * 40)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

_url = env.str("BENCH_DATABASE_URL", default="") or (DEFAULT_POSTGRES_URL if postgres_answers() else DEFAULT_SQLITE_URL)
DATABASES = {"default": env.db_url_config(_url)}
DATABASES["default"]["CONN_MAX_AGE"] = None  # persistent: a worker keeps its connection
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {  # as portal.settings sets them for its SQLite database
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON",
    }
BENCH_DATABASE = "PostgreSQL" if DATABASES["default"]["ENGINE"].endswith("postgresql") else "SQLite"

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
# First, so that it counts the queries of every other middleware too (the session, the user …).
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

STATIC_ROOT = BENCH_DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
