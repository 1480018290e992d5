"""HTTP and htmx helpers shared by every app: one way to decide on a partial, one way to answer an error."""

import csv
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django_htmx.http import reswap, retarget


def wants_partial(request: HttpRequest) -> bool:
    """True when the response should be a fragment: an htmx request that is not a history restore
    (htmx asks for the whole page when Back finds nothing in its cache)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_page(
    request: HttpRequest, template: str, context: dict | None = None, *, partial: str = "", status: int | None = None
) -> HttpResponse:
    """`template`, or its `partial` (django-template-partials) when the request wants a fragment.
    The response varies on HX-Request, so no cache serves the fragment as the page or the other way round."""
    name = f"{template}#{partial}" if partial and wants_partial(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def error_response(request: HttpRequest, message: str, status: int, **context) -> HttpResponse:
    """A clear message with a 4xx status (nothing was changed). An htmx request gets the message in
    the page's status region instead of in place of what it was going to swap."""
    response = render_page(
        request, "error.html", {"message": message, **context}, partial="error-message", status=status
    )
    if wants_partial(request):
        return reswap(retarget(response, "#messages"), "innerHTML")
    return response


_URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")  # what `reverse` puts in a path as it is (it quotes the rest)
_SLOT = "0slot0"  # a placeholder argument that the str and slug path converters accept


def reverser(viewname: str) -> Callable[[str], str]:
    """`reverse(viewname, args=[arg])` for each row of a table at the cost of one `reverse` (about 25 µs
    each), for views whose argument is a str or a slug: the URL is reversed once around a placeholder,
    then each URL-safe argument (a code such as 5.10.1, a slug) is put in its place. Any other argument
    goes through `reverse` itself."""
    prefix, _, suffix = reverse(viewname, args=[_SLOT]).partition(_SLOT)

    def url(arg) -> str:
        text = str(arg)
        return f"{prefix}{text}{suffix}" if _URL_SAFE.fullmatch(text) else reverse(viewname, args=[arg])

    return url


CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A value as a CSV cell that no spreadsheet runs as a formula: text starting with = + - @, a tab or
    a carriage return gets a leading apostrophe. None is an empty cell."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_STARTS) else text


def csv_response(*, filename: str, header: list[str], rows) -> HttpResponse:
    """A CSV download (stdlib csv, UTF-8, every cell through `csv_cell`)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([csv_cell(c) for c in header])
    for row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return response
