"""The site that composes the apps: the landing page and the learner's dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from content.selectors import courses_with_progress
from progress.forms import ExamDateForm
from progress.selectors import dashboard
from quizzes.selectors import latest_results


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; the learner's dashboard once signed in."""
    if not request.user.is_authenticated:
        return render(request, "home/landing.html")
    return render(request, "home/dashboard.html", _dashboard_context(request, ExamDateForm(instance=request.user)))


def _dashboard_context(request: HttpRequest, exam_form: ExamDateForm) -> dict:
    return {
        **dashboard(user=request.user, now=timezone.now()),
        "courses": courses_with_progress(user=request.user),
        "results": latest_results(user=request.user),
        "exam_form": exam_form,
    }


@require_POST
def exam_date(request: HttpRequest) -> HttpResponse:
    """Set the learner's exam date for the readiness estimate."""
    form = ExamDateForm(request.POST, instance=request.user)
    if not form.is_valid():
        return render(request, "home/dashboard.html", _dashboard_context(request, form), status=400)
    form.save()
    messages.success(request, "Exam date saved.")
    return redirect(reverse("home") + "#readiness")
