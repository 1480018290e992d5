from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from content.models import Course, StudiedObjective


def baseline(request: HttpRequest) -> HttpResponse:
    """The bare logged-in page every endpoint is compared with (docs/performance.md): the full
    middleware (the session and its user are read), then a one-line template."""
    return render(request, "bench/baseline.html", {"email": request.user.email})


def layout(request: HttpRequest) -> HttpResponse:
    """A reference, not a portal page: the site's layout (templates/base.html: navigation, messages,
    CSRF token) around an empty page; no query but the session and the user. What any learner page
    costs before it reads or shows anything of its own."""
    return render(request, "bench/layout.html", {"title": None, "marks": None})


def floor(request: HttpRequest) -> HttpResponse:
    """A reference, not a portal page: the layout and two one-row queries (a course's title, the
    learner's count of studied marks): the least a learner page that reads anything can cost."""
    title = Course.objects.order_by("order").values_list("title", flat=True).first()
    marks = StudiedObjective.objects.filter(user=request.user).count()
    return render(request, "bench/layout.html", {"title": title, "marks": marks})
