from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from content.models import CORE_COURSE, Course, Module, Objective
from portal.http import error_response, render_page, wants_partial
from progress import scheduling, selectors
from progress.forms import LearnerSettingsForm, RatingForm, SessionForm
from progress.models import ReviewEvent
from progress.services import learner_settings_save, review_record, review_undo

MAX_DURATION = timedelta(minutes=10)


POLL_WITHIN = timedelta(minutes=30)  # a learning card due this soon is fetched when due (htmx), no reload


@dataclass(frozen=True)
class Session:
    """A study session: one module, or a whole course, and the extra new cards asked for today."""

    module: Module | None
    course: Course
    more: int = 0

    def url(self) -> str:
        if self.module:
            path = reverse("progress:study-module", args=[self.module.code])
        elif self.course.slug != CORE_COURSE:
            path = reverse("progress:study-course", args=[self.course.slug])
        else:
            path = reverse("progress:study")
        return path + (f"?more={self.more}" if self.more else "")


def _session(data, code: str | None = None) -> Session | None:
    """The session a request names (URL or form fields), or None when it names no such module or course."""
    form = SessionForm(data)
    if not form.is_valid():
        return None
    code = code or form.cleaned_data["module"]
    more = form.cleaned_data["more"] or 0
    if code:
        module = Module.objects.select_related("course").filter(code=code).first()
        return Session(module, module.course, more) if module else None
    course = Course.objects.filter(slug=form.cleaned_data["course"] or CORE_COURSE).first()
    return Session(None, course, more) if course else None


def _study_context(request: HttpRequest, session: Session, reveal: str = "", rated: Objective | None = None) -> dict:
    now = timezone.now()
    queue = selectors.study_queue(
        user=request.user, now=now, module=session.module, course=session.course.slug, extra_new=session.more
    )
    context = {"queue": queue, "session": session, "module": session.module, "revealed": False, "now": now,
               "rated": rated, "more_url": Session(session.module, session.course, session.more + 5).url()}  # fmt: skip
    if queue.card and reveal == queue.card.code:
        comes_back = scheduling.preview(queue.state.card if queue.state else None, queue.card.pk, now)
        context.update(
            revealed=True,
            ratings=[
                {"value": n, "label": scheduling.CONFIDENCE_LABELS[n], "when": scheduling.in_words(due - now)}
                for n, due in comes_back.items()
            ],
        )
    if queue.card is None and queue.next_due:
        context["next_due_words"] = scheduling.in_words(queue.next_due - now)
        if queue.next_due - now <= POLL_WITHIN:  # a learning card: it comes back in this session
            context["poll_seconds"] = max(1, int((queue.next_due - now).total_seconds()) + 1)
    return context


def _next_card(request: HttpRequest, session: Session, rated: Objective | None = None) -> HttpResponse:
    if wants_partial(request):
        return render_page(
            request, "progress/study.html", _study_context(request, session, rated=rated), partial="study-card"
        )
    return redirect(session.url())


def study(request: HttpRequest, code: str | None = None, course: str | None = None) -> HttpResponse:
    """A study session for a whole course or one module: the next card, its front or its back."""
    data = request.GET.copy()
    if course:
        data["course"] = course
    session = _session(data, code)
    if session is None:
        raise Http404
    context = _study_context(request, session, reveal=request.GET.get("reveal", ""))
    return render_page(request, "progress/study.html", context, partial="study-card")


@require_POST
def study_rate(request: HttpRequest) -> HttpResponse:
    """Record "How well did you know this?" for a card and move on to the next one."""
    form = RatingForm(request.POST)
    if not form.is_valid():
        return error_response(request, "Rate the card from 1 to 5.", 400)
    session = _session(request.POST)
    objective = (
        # its code is all the rating shows of it (not its note, three texts)
        Objective.objects.filter(code=form.cleaned_data["code"], module__course=session.course).only("code").first()
        if session
        else None
    )
    if objective is None:
        return error_response(request, "There is no such card to rate.", 404)
    now = timezone.now()
    shown_at = form.cleaned_data["shown_at"]
    duration = min(max(now - shown_at, timedelta(0)), MAX_DURATION) if shown_at else None
    review_record(
        user=request.user,
        objective=objective,
        source=ReviewEvent.Source.FLASHCARD,
        confidence=form.cleaned_data["confidence"],
        duration_ms=int(duration.total_seconds() * 1000) if duration is not None else None,
        now=now,
    )
    messages.success(request, f"{objective.code} rated {form.cleaned_data['confidence']}.")
    return _next_card(request, session, rated=objective)


@require_POST
def study_undo(request: HttpRequest) -> HttpResponse:
    """Undo the learner's last flashcard rating (an undo event is appended; docs/spaced-repetition.md)."""
    session = _session(request.POST)
    if session is None:
        return error_response(request, "There is no such study session.", 404)
    undone = review_undo(user=request.user)
    if undone is None:
        messages.info(request, "There is no rating of the last hour to undo.")
    else:
        messages.success(request, f"Your rating of {undone.objective.code} was undone.")
    return _next_card(request, session)


def learner_settings(request: HttpRequest) -> HttpResponse:
    form = LearnerSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            learner_settings_save(user=request.user, **form.cleaned_data)
            messages.success(request, "Your settings were saved.")
            return redirect("progress:settings")
        return render(request, "progress/settings.html", {"form": form}, status=400)
    return render(request, "progress/settings.html", {"form": form})
