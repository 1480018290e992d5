from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from content.selectors import courses_with_progress


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; the learner's course overview once signed in."""
    if not request.user.is_authenticated:
        return render(request, "portal/landing.html")
    return render(request, "portal/home.html", {"courses": courses_with_progress(user=request.user)})


@login_not_required
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers a query, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
