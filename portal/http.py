"""Responses shared by the apps."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.http import reswap, retarget


def error_response(request: HttpRequest, message: str, status: int, **context) -> HttpResponse:
    """A clear message with a 4xx status (nothing was changed). An htmx request gets the message in
    the page's status region instead of in place of what it was going to swap."""
    context = {"message": message, **context}
    if request.htmx:
        response = render(request, "error.html#error-message", context, status=status)
        return reswap(retarget(response, "#messages"), "innerHTML")
    return render(request, "error.html", context, status=status)
