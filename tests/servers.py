"""The portal under gunicorn in processes of its own, and a client that talks HTTP to it as a browser would.

Used by the crash test (tests/portal/test_crash.py) and the scale-out test (tests/portal/test_scale_out.py)
through the `gunicorn_server` fixture (tests/portal/conftest.py). Each server runs `gunicorn -c
gunicorn.conf.py` from the repository root on a free port of 127.0.0.1, with DEBUG off and
DATABASE_URL naming the test's own database (pytest-django's test database: on SQLite the file that
tests/conftest.py makes, on PostgreSQL `test_<NAME>`), so the data the test commits
(`django_db(transaction=True)`) is what the server reads. A server runs in a process group of its
own: `kill()` sends SIGKILL to the master and every worker at once, as a crash or the OOM killer would.

The client (`WebClient`) keeps a cookie jar, reads the CSRF token from its cookie, never follows a
redirect (the tests check each acknowledgement's status) and signs in through allauth's login form.
Standard library only.
"""

import contextlib
import html.parser
import http.client
import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from portal import settings as portal_settings
from tests.factories import PASSWORD

START_TIMEOUT = 30  # seconds for gunicorn to boot and answer /healthz (a cold worker imports Django: ~1 s)
REQUEST_TIMEOUT = 20  # seconds for any one request (gunicorn.conf.py kills a worker after 30)


def free_port(taken: set[int] = frozenset()) -> int:
    """A port of 127.0.0.1 that nothing listens on now (the kernel's choice), not one of `taken`."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in taken:
            return port


def database_url() -> str:
    """DATABASE_URL for the database this test is using (pytest-django's test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        if not os.path.isabs(name) or "mode=memory" in name:  # tests/conftest.py makes it a file
            raise RuntimeError(f"a server process cannot share the SQLite database {name!r}: it must be a file")
        return f"sqlite:///{name}"
    if connection.vendor == "postgresql":
        quote = urllib.parse.quote
        credentials = f"{quote(db['USER'])}:{quote(db['PASSWORD'])}@" if db["USER"] else ""
        return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"
    raise RuntimeError(f"no server test for the {connection.vendor} backend")


def can_sign_in(user, password: str = PASSWORD):
    """`user`, with `password` hashed as the server stores a real one (Django's default PBKDF2): the suite's
    fast MD5 hasher (tests/conftest.py) is not in the server's PASSWORD_HASHERS, so its hashes never sign in
    there."""
    user.password = make_password(password, hasher=PBKDF2PasswordHasher())
    user.save(update_fields=["password"])
    return user


# The cache of portal/settings.py when REDIS_URL is not set. Its table comes from portal's migration 0004
# (createcachetable), which made none in the test database: the suite's CACHES is a locmem cache.
DATABASE_CACHE = portal_settings.DATABASE_CACHE


def database_cache_table() -> None:
    with override_settings(CACHES={"default": DATABASE_CACHE}):
        call_command("createcachetable", verbosity=0)


class Server:
    """One gunicorn (master and workers) serving the portal on `port`; `start()`, `kill()`, `start()` again."""

    def __init__(self, *, log_dir: Path, env: dict[str, str] | None = None, workers: int = 1, taken=frozenset()):
        self.port = free_port(taken)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_dir = log_dir
        self.starts = 0
        self.process: subprocess.Popen | None = None
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DJANGO_PRODUCTION", "REDIS_URL")},
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": database_url(),
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "REDIS_URL": "",  # the database cache unless the test says otherwise
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(workers),  # one by default: each worker boots Django (~1 s of CPU)
            "GUNICORN_ACCESS_LOG": "-",
            "GUNICORN_MAX_REQUESTS": "0",  # no worker recycled in the middle of a test
            **(env or {}),
        }

    def log_path(self, start: int | None = None) -> Path:
        return self.log_dir / f"gunicorn-{self.port}-{start or self.starts}.log"

    def start(self) -> "Server":
        """Start gunicorn and wait until /healthz answers 200; raise with the server's output if it does not."""
        return self.launch().wait_until_ready()

    def launch(self) -> "Server":
        """Start gunicorn without waiting for it (servers started together boot side by side)."""
        assert self.process is None, "already running"
        if not self.env["REDIS_URL"]:
            database_cache_table()
        self.starts += 1
        with open(self.log_path(), "wb") as log:
            # --no-control-socket: gunicorn 25+ opens one at ~/.gunicorn/gunicorn.ctl by default, one path for
            # every gunicorn of the user; a test's server must not take it over from another (or from the benchmark).
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket"],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() reaches every worker
            )
        return self

    def wait_until_ready(self) -> "Server":
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                raise RuntimeError(f"gunicorn exited while starting:\n{self.output()}")
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return self
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"gunicorn did not answer /healthz within {START_TIMEOUT} s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL the master and its workers together, and wait until nothing answers on the port."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # already gone
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the workers (now orphans) hold the socket until they are gone
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                return
            time.sleep(0.05)
        raise RuntimeError(f"something still answers on port {self.port} after SIGKILL")

    def output(self, start: int | None = None, lines: int = 80) -> str:
        """The last `lines` of what gunicorn and the portal wrote (this start's, or an earlier one's)."""
        path = self.log_path(start)
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 3xx comes back to the caller as it is


class WebClient:
    """A browser without JavaScript (or htmx's requests, with `htmx=True`): cookies, CSRF, no redirects
    followed. The cookie jar is not tied to a port, so one client can talk to two servers of one site."""

    def __init__(self, server: Server):
        self.base = server.url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects)

    def use(self, server: Server) -> "WebClient":
        """Send the next requests to `server` (a load balancer moving the learner), with the same cookies."""
        self.base = server.url
        return self

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def request(self, method: str, path: str, data: dict | None = None, *, htmx: bool = False) -> Reply:
        body = None
        headers = {"HX-Request": "true"} if htmx else {}
        if method == "POST":
            token = self.cookie("csrftoken")
            fields = {**(data or {}), **({"csrfmiddlewaretoken": token} if token else {})}
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        # Always http://127.0.0.1:<port> (Server.url): no other scheme reaches here.
        request = urllib.request.Request(self.base + path, data=body, headers=headers, method=method)  # noqa: S310
        try:
            response = self.opener.open(request, timeout=REQUEST_TIMEOUT)
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            response = error
        with response:
            return Reply(response.status, dict(response.headers), response.read().decode())

    def get(self, path: str, *, htmx: bool = False) -> Reply:
        return self.request("GET", path, htmx=htmx)

    def post(self, path: str, data: dict | None = None, *, htmx: bool = False) -> Reply:
        return self.request("POST", path, data, htmx=htmx)

    def log_in(self, email: str, password: str) -> Reply:
        """Sign in through allauth's login form, as a learner does; asserts it worked (302 to the dashboard)."""
        page = self.get("/accounts/login/")
        assert page.status == 200, page
        reply = self.post("/accounts/login/", {"login": email, "password": password})
        assert (reply.status, reply.location) == (302, "/"), f"sign-in as {email} failed: {reply.status}\n{reply.text}"
        return reply


class _FormState(html.parser.HTMLParser):
    """What the page's controls would submit: checked radios and checkboxes, selected options."""

    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in ("radio", "checkbox") and "checked" in attrs:
            self.fields.setdefault(attrs["name"], []).append(attrs["value"])
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.setdefault(self._select, []).append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_state(page_html: str, prefixes: tuple[str, ...]) -> dict[str, list[str]]:
    """The values the page's form shows as chosen, for the fields whose names start with `prefixes`."""
    parser = _FormState()
    parser.feed(page_html)
    return {name: values for name, values in parser.fields.items() if name.startswith(prefixes)}
