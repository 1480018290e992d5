"""Cohort pages: learners join and leave; instructors see their cohorts' reports. Permission first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cohorts import presentation, selectors, services
from cohorts.forms import CohortCreateForm, CohortForm, JoinForm
from cohorts.models import Cohort
from cohorts.services import AlreadyMember, CohortError, NotMember, RemovedByInstructor
from portal.http import csv_response, error_response, render_page
from quizzes.models import Quiz
from quizzes.presentation import feedback_for, response_lines
from quizzes.selectors import REPORT_ATTEMPTS, quiz_statistics_report

ERROR_STATUS = {AlreadyMember: 409, RemovedByInstructor: 403, NotMember: 409}
BAD_CODE = (
    "That join code does not match any cohort. Check it with your instructor: "
    "a code stops working when they issue a new one."
)


def _cohort_error(request: HttpRequest, exc: CohortError) -> HttpResponse:
    return error_response(request, exc.message, ERROR_STATUS[type(exc)])


# Learners


def my_cohorts(request: HttpRequest) -> HttpResponse:
    """The learner's cohorts, and the form to join one with a code."""
    return _my_cohorts_page(request, JoinForm())


def _my_cohorts_page(request: HttpRequest, form: JoinForm, status: int = 200) -> HttpResponse:
    memberships = selectors.memberships_for_learner(user=request.user)
    return render(request, "cohorts/mine.html", {"memberships": memberships, "form": form}, status=status)


@require_POST
def join_with_code(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST)
    if not form.is_valid():
        return _my_cohorts_page(request, form, status=400)
    cohort = selectors.cohort_get_by_code(code=form.cleaned_data["code"])
    if cohort is None:
        return error_response(request, BAD_CODE, 404)
    return _join(request, cohort)


def _join(request: HttpRequest, cohort: Cohort) -> HttpResponse:
    try:
        services.membership_join(cohort=cohort, user=request.user)
    except CohortError as exc:
        return _cohort_error(request, exc)
    messages.success(request, f"You joined {cohort.name}. Its instructors can now see your progress.")
    return redirect("cohorts:mine")


@login_not_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    """A join link: a visitor sees the cohort's name and logs in or signs up to come back here; a
    learner confirms with a POST (a GET never joins)."""
    cohort = selectors.cohort_get_by_code(code=code)
    if cohort is None:
        return error_response(request, BAD_CODE, 404)
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        return render(request, "cohorts/join.html", {"cohort": cohort, "next": request.get_full_path()})
    if request.method == "POST":
        return _join(request, cohort)
    membership = cohort.memberships.filter(user=request.user).first()
    return render(request, "cohorts/join.html", {"cohort": cohort, "membership": membership})


@require_POST
def leave(request: HttpRequest, uuid: str) -> HttpResponse:
    membership = selectors.membership_get_for_learner(user=request.user, uuid=uuid)
    try:
        services.membership_leave(membership=membership)
    except CohortError as exc:
        return _cohort_error(request, exc)
    messages.success(request, f"You left {membership.cohort.name}. You can rejoin with its code.")
    return redirect("cohorts:mine")


# Instructors


@require_http_methods(["GET", "POST"])
def cohort_list(request: HttpRequest) -> HttpResponse:
    """The instructor's cohorts with their size and last activity; a POST creates one."""
    selectors.cohort_require_instructor(user=request.user)
    form = CohortCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = services.cohort_create(name=form.cleaned_data["name"], instructor=request.user)
        messages.success(request, f"Cohort {cohort.name} created. Its join code is {cohort.join_code}.")
        return redirect("cohorts:overview", uuid=cohort.uuid)
    status = 400 if request.method == "POST" else 200
    cohorts = selectors.cohorts_with_activity(user=request.user)
    return render(request, "cohorts/list.html", {"cohorts": cohorts, "form": form}, status=status)


def _overview(request: HttpRequest, cohort: Cohort):
    overview = selectors.cohort_overview(cohort=cohort, now=timezone.now())
    sort, direction = selectors.overview_sorted(
        overview=overview, sort=request.GET.get("sort", ""), direction=request.GET.get("dir", "")
    )
    flagged = request.GET.get("flagged") == "1"
    learners = len(overview.rows)
    if flagged:
        overview.rows = [r for r in overview.rows if r.flagged]
    return overview, sort, direction, flagged, learners


def cohort_overview(request: HttpRequest, uuid: str, form: CohortForm | None = None) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, uuid=uuid)
    overview, sort, direction, flagged, learners = _overview(request, cohort)
    presentation.overview_rows(overview=overview)
    context = {
        "cohort": cohort,
        "overview": overview,
        "headers": presentation.overview_headers(overview=overview, sort=sort, direction=direction, flagged=flagged),
        "sort": sort,
        "dir": direction,
        "flagged": flagged,
        "learners": learners,
        "columns": 5 + 2 * len(overview.modules),
        "form": form or CohortForm(instance=cohort),
        "join_url": request.build_absolute_uri(reverse("cohorts:join", kwargs={"code": cohort.join_code})),
        "query": request.GET.urlencode(),
        "quizzes": selectors.course_quizzes(),
    }
    return render_page(
        request, "cohorts/overview.html", context, partial="overview-table", status=400 if form else None
    )


def cohort_csv(request: HttpRequest, uuid: str) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, uuid=uuid)
    overview, *_ = _overview(request, cohort)
    header, rows = presentation.overview_csv(overview=overview)
    return csv_response(filename=f"cohort-{cohort.uuid}-overview.csv", header=header, rows=rows)


@require_POST
def cohort_settings(request: HttpRequest, uuid: str) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, uuid=uuid)
    form = CohortForm(request.POST, instance=Cohort.objects.get(pk=cohort.pk))
    if not form.is_valid():
        return cohort_overview(request, uuid, form=form)
    services.cohort_update(cohort=cohort, **form.cleaned_data)
    messages.success(request, "Cohort settings saved.")
    return redirect("cohorts:overview", uuid=cohort.uuid)


@require_POST
def cohort_code(request: HttpRequest, uuid: str) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, uuid=uuid)
    code = services.cohort_code_regenerate(cohort=cohort)
    messages.success(request, f"New join code: {code}. The old code and its link no longer work.")
    return redirect("cohorts:overview", uuid=cohort.uuid)


def learner_detail(request: HttpRequest, uuid: str, membership: str) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, uuid=uuid)
    member = selectors.membership_get(cohort=cohort, uuid=membership)
    report = selectors.learner_report(cohort=cohort, membership=member, now=timezone.now())
    chart = presentation.activity_chart(activity=report.activity, peak=report.activity_max)
    context = {"cohort": cohort, "member": member, "report": report, "chart": chart}
    return render(request, "cohorts/learner.html", context)


@require_POST
def learner_remove(request: HttpRequest, uuid: str, membership: str) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, uuid=uuid)
    member = selectors.membership_get(cohort=cohort, uuid=membership)
    try:
        services.membership_remove(membership=member)
    except CohortError as exc:
        return _cohort_error(request, exc)
    messages.success(request, f"{member.user.email} was removed from {cohort.name}; their code no longer lets them in.")
    return redirect("cohorts:overview", uuid=cohort.uuid)


@require_POST
def learner_restore(request: HttpRequest, uuid: str, membership: str) -> HttpResponse:
    cohort = selectors.cohort_get_for_user(user=request.user, uuid=uuid)
    member = selectors.membership_get(cohort=cohort, uuid=membership)
    services.membership_restore(membership=member)
    messages.success(request, f"{member.user.email} is back in {cohort.name}.")
    return redirect("cohorts:learner", uuid=cohort.uuid, membership=member.uuid)


def learner_attempt(request: HttpRequest, uuid: str, membership: str, attempt: str) -> HttpResponse:
    """A learner's finished attempt, read-only, as the learner's own result page shows it."""
    cohort = selectors.cohort_get_for_user(user=request.user, uuid=uuid)
    member = selectors.membership_get(cohort=cohort, uuid=membership)
    found = selectors.attempt_get_for_cohort(membership=member, uuid=attempt)
    show_feedback = found.feedback_mode != Quiz.FeedbackMode.NONE
    review = []
    for slot in selectors.attempt_slots(attempt=found):
        feedback = feedback_for(slot.snapshot, slot.response or {}, slot.credit or 0) if slot.is_answered else None
        review.append({"slot": slot, "your_answer": response_lines(slot.snapshot, slot.response), "feedback": feedback})
    context = {
        "cohort": cohort,
        "member": member,
        "attempt": found,
        "quiz": found.quiz,
        "review": review,
        "show_feedback": show_feedback,
        "show_correct": found.quiz.show_correct_answers and show_feedback,
        "score_percent": round(found.score * 100),
    }
    return render(request, "cohorts/attempt.html", context)


def _quiz_report(request: HttpRequest, uuid: str, slug: str):
    cohort = selectors.cohort_get_for_user(user=request.user, uuid=uuid)
    quizzes = selectors.course_quizzes()
    quiz = next((q for q in quizzes if q.slug == slug), None)
    if quiz is None:
        raise Http404
    which = request.GET.get("attempts", "first")
    if which not in REPORT_ATTEMPTS:
        which = "first"
    report = quiz_statistics_report(quiz=quiz, user_ids=selectors.cohort_learner_ids(cohort=cohort), which=which)
    return cohort, quizzes, quiz, which, report


def quiz_statistics(request: HttpRequest, uuid: str, slug: str) -> HttpResponse:
    """Moodle's quiz statistics over the cohort's attempts, each question flagged against written thresholds."""
    cohort, quizzes, quiz, which, report = _quiz_report(request, uuid, slug)
    context = {
        "cohort": cohort,
        "quizzes": quizzes,
        "quiz": quiz,
        "which": which,
        "choices": REPORT_ATTEMPTS,
        "report": report,
        "rows": presentation.statistics_rows(report=report),
        "thresholds": presentation.STATISTICS_THRESHOLDS,
        "query": request.GET.urlencode(),
    }
    return render_page(request, "cohorts/statistics.html", context, partial="statistics-report")


def quiz_statistics_csv(request: HttpRequest, uuid: str, slug: str) -> HttpResponse:
    cohort, _, quiz, which, report = _quiz_report(request, uuid, slug)
    header, rows = presentation.statistics_csv(report=report)
    return csv_response(filename=f"cohort-{cohort.uuid}-{quiz.slug}-{which}.csv", header=header, rows=rows)
