from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def baseline(request: HttpRequest) -> HttpResponse:
    """The bare logged-in page every endpoint is compared with (docs/performance.md): the full
    middleware (the session and its user are read), then a one-line template."""
    return render(request, "bench/baseline.html", {"email": request.user.email})
