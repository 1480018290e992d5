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
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True
