"""The request id that every log record of a request carries (docs/deploy.md: logs).

portal.middleware.RequestLogMiddleware sets it for the request; RequestIdFilter, on the one console
handler (settings.LOGGING), copies it onto each record, Django's own error report included.
"""

import logging
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")


def current_request_id() -> str:
    """The id of the request being served ("-" outside a request: a management command, start-up)."""
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    """Django reports a 4xx response (django.request, "Not Found: …") after the middleware chain has
    returned, when the context variable is reset: that record carries the request, and the id is read
    from it (RequestLogMiddleware sets `request.request_id`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request_id = current_request_id()
            if request_id == "-":
                request_id = getattr(getattr(record, "request", None), "request_id", "-")
            record.request_id = request_id
        return True
