import logging
import re
import time
import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.encoding import escape_uri_path
from django_htmx.http import HttpResponseClientRedirect

from portal.http import wants_partial
from portal.logs import request_id_var

request_logger = logging.getLogger("portal.request")


# URL parts that are secrets: allauth's password-reset and e-mail confirmation keys, a cohort's join code.
SECRET_URL_KWARGS = frozenset({"uidb36", "key", "code"})


def _without_secrets(request: HttpRequest, path: str) -> str:
    """The request's (percent-encoded) path with the secrets it carries (SECRET_URL_KWARGS of the URL it
    matched) blanked: whoever reads the logs must not be able to reset a password or join a cohort."""
    match = getattr(request, "resolver_match", None)
    secrets = [str(value) for name, value in (match.kwargs.items() if match else ()) if name in SECRET_URL_KWARGS]
    for secret in sorted(
        filter(None, secrets), key=len, reverse=True
    ):  # the longest first: a short one is no part of it
        path = path.replace(escape_uri_path(secret), "[secret]")
    return path


class RequestLogMiddleware:
    """One log line per request (logger `portal.request`, INFO): method, path, status, duration in ms,
    user id ("-" for a visitor) and the request id, also returned as the `X-Request-ID` header.

    The id is the load balancer's `X-Request-ID` when it is a short safe token, else a new one; it is
    held in a context variable for the whole request, so every log record of the request carries it
    (portal.logs.RequestIdFilter), Django's report of an unhandled exception and the 500 page included.
    First in MIDDLEWARE: the duration covers every other middleware. The path is logged percent-encoded
    and without its query string (search words and tokens stay out of the logs), and without the secrets a
    path can carry (a password-reset key, a join code: `SECRET_URL_KWARGS`)."""

    SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if self.SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            user = getattr(request, "user", None)  # static files are answered before authentication
            user_id = user.pk if user is not None and user.is_authenticated else "-"
            path = _without_secrets(request, escape_uri_path(request.path))
            request_logger.info(
                "%s %s %s %.1fms user=%s",
                request.method,
                path,
                response.status_code,
                duration_ms,
                user_id,
                extra={
                    "http_method": request.method,
                    "http_path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": user_id,
                    "request_id": request_id,
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class HtmxLoginRedirectMiddleware:
    """An htmx request that needs a login gets `HX-Redirect` to the login page.

    A plain 302 would be followed by htmx and the login page swapped into a fragment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.htmx
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            return HttpResponseClientRedirect(response["Location"])
        return response


class HtmxMessagesMiddleware:
    """Messages queued while answering an htmx fragment reach the page: the one messages partial is
    appended out of band into the page's `role="status"` region. A redirect keeps them for the next page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            wants_partial(request)
            and not response.streaming
            and response.status_code < 300
            and "HX-Redirect" not in response
            and response.get("Content-Type", "").startswith("text/html")
        ):
            storage = messages.get_messages(request)
            if len(storage):
                oob = render_to_string("messages.html#messages-oob", {"messages": storage}, request=request)
                response.content += oob.encode(response.charset)
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: no browser feature the portal does not use, and no copy of a
    signed-in page in any cache (attempts, results and reports are one person's)."""

    PERMISSIONS_POLICY = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
        "payment=(), usb=(), interest-cohort=()"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)  # static files are answered before authentication
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


class RejectNulMiddleware:
    """A NUL character in the path or a parameter is refused with a 400 (PostgreSQL text cannot hold
    one, so it would otherwise fail deep in a query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        values = [request.path, *request.GET.keys(), *(v for _, vs in request.GET.lists() for v in vs)]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            values += [*request.POST.keys(), *(v for _, vs in request.POST.lists() for v in vs)]
        if any("\x00" in value for value in values):
            return HttpResponseBadRequest("Text may not contain NUL characters.", content_type="text/plain")
        return self.get_response(request)


class LearnerTimeZoneMiddleware:
    """Show times in the signed-in learner's own time zone (their setting)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = getattr(request.user, "time_zone", None) if request.user.is_authenticated else None
        try:
            timezone.activate(ZoneInfo(zone)) if zone else timezone.deactivate()
        except (ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _now() -> float:
    return time.time()


class SessionIdleTimeoutMiddleware:
    """A session idle for longer than `SESSION_IDLE_MINUTES` (DJANGO_SESSION_IDLE_MINUTES; 0: never) is
    signed out; the request then goes on as a visitor's (LoginRequiredMiddleware sends it to the login).

    The last-seen time is kept in the session and written at most once a minute, so a signed-in page
    costs no session write on most requests. Sits after the message middleware: it leaves a message."""

    KEY = "portal_last_seen"
    WRITE_EVERY = 60  # seconds

    @classmethod
    def on_login(cls, sender, request, user, **kwargs):
        """Signing in counts as being seen (connected in portal.apps): the first page after it writes nothing."""
        if request is not None and hasattr(request, "session"):
            request.session[cls.KEY] = int(_now())

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        idle = settings.SESSION_IDLE_MINUTES * 60
        if idle and request.user.is_authenticated:
            now = _now()
            last_seen = request.session.get(self.KEY)
            if isinstance(last_seen, int | float) and now - last_seen > idle:
                logout(request)
                messages.info(request, f"You were signed out after {settings.SESSION_IDLE_MINUTES} minutes away.")
            elif not isinstance(last_seen, int | float) or now - last_seen >= self.WRITE_EVERY:
                request.session[self.KEY] = int(now)
        return self.get_response(request)
