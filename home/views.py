"""The site that composes the apps: the landing page, the learner's dashboard, their own data."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from home.account import account_delete, learner_data
from portal.http import csv_response, error_response
from progress.forms import ExamDateForm, ExamOutcomeForm
from progress.selectors import dashboard, local_today
from progress.services import exam_outcome_save, exam_plan_save
from quizzes.selectors import latest_results


@login_not_required
def home(request: HttpRequest) -> HttpResponse:
    """The landing page for visitors; the learner's dashboard once signed in."""
    if not request.user.is_authenticated:
        return render(request, "home/landing.html")
    return render(request, "home/dashboard.html", _dashboard_context(request, ExamDateForm(instance=request.user)))


def _dashboard_context(
    request: HttpRequest, exam_form: ExamDateForm, outcome_form: ExamOutcomeForm | None = None
) -> dict:
    return {
        **dashboard(user=request.user, now=timezone.now()),
        "results": latest_results(user=request.user),
        "exam_form": exam_form,
        "outcome_form": outcome_form or ExamOutcomeForm(),
    }


@require_POST
def exam_date(request: HttpRequest) -> HttpResponse:
    """Set the learner's exam date, recall target and daily budget: the readiness estimate and the plan."""
    user = request.user
    form = ExamDateForm(request.POST, instance=user)
    if not form.is_valid():
        user.refresh_from_db()  # the form wrote the bad values on the instance: show the saved ones
        return render(request, "home/dashboard.html", _dashboard_context(request, form), status=400)
    exam_plan_save(user=user, **form.cleaned_data)
    messages.success(request, "Exam date and plan saved.")
    return redirect(reverse("home") + "#readiness")


@require_POST
def exam_outcome(request: HttpRequest) -> HttpResponse:
    """Keep the learner's optional answer to "how did the exam go?" (asked once the exam date has passed)."""
    exam_date = request.user.exam_date
    if not exam_date or exam_date >= local_today(request.user, timezone.now()):
        return error_response(request, "There is no past exam to tell us about: your exam date is not behind you.", 409)
    form = ExamOutcomeForm(request.POST, instance=request.user)
    if not form.is_valid():
        request.user.refresh_from_db()
        context = _dashboard_context(request, ExamDateForm(instance=request.user), form)
        return render(request, "home/dashboard.html", context, status=400)
    exam_outcome_save(user=request.user, exam_outcome=form.cleaned_data["exam_outcome"])
    messages.success(request, "Thank you: your answer was kept.")
    return redirect("home")


DATA_TABLES = ("studied", "reviews", "attempts", "answers", "cohorts")


def my_data(request: HttpRequest) -> HttpResponse:
    """What the portal holds about the learner, to download, and the way to delete the account."""
    return render(request, "home/my_data.html", {"tables": DATA_TABLES})


def my_data_json(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        json.dumps(learner_data(user=request.user), indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


def my_data_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in DATA_TABLES:
        raise Http404
    rows = learner_data(user=request.user)[table]
    header = list(rows[0]) if rows else []
    return csv_response(
        filename=f"my-{table}.csv",
        header=header,
        rows=([json.dumps(v) if isinstance(v, dict) else v for v in r.values()] for r in rows),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError("That is not your password: nothing was deleted.")
        return self.cleaned_data["password"]


def delete_account(request: HttpRequest) -> HttpResponse:
    """Asks for the password, then deletes the account's personal data (home.account.account_delete)."""
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "home/delete_account.html", {"form": form}, status=400)
        account_delete(user=request.user)
        logout(request)
        messages.success(request, "Your account and its personal data were deleted.")
        return redirect("home")
    return render(request, "home/delete_account.html", {"form": form})
