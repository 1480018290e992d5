from datetime import timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from content.models import Module, Objective
from portal.http import error_response, render_page, wants_partial
from progress import scheduling, selectors
from progress.forms import LearnerSettingsForm, RatingForm
from progress.models import ReviewEvent
from progress.services import learner_settings_save, review_record

MAX_DURATION = timedelta(minutes=10)


def _study_context(request: HttpRequest, module: Module | None, reveal: str = "") -> dict:
    now = timezone.now()
    queue = selectors.study_queue(user=request.user, now=now, module=module)
    context = {"queue": queue, "module": module, "revealed": False, "now": now, "labels": scheduling.CONFIDENCE_LABELS}
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
    return context


def study(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """A study session for the whole course or one module: the next card, its front or its back."""
    module = get_object_or_404(Module, code=code, course__slug=selectors.CORE_COURSE) if code else None
    context = _study_context(request, module, reveal=request.GET.get("reveal", ""))
    return render_page(request, "progress/study.html", context, partial="study-card")


@require_POST
def study_rate(request: HttpRequest) -> HttpResponse:
    """Record "How well did you know this?" for a card and move on to the next one."""
    form = RatingForm(request.POST)
    if not form.is_valid():
        return error_response(request, "Rate the card from 1 to 5.", 400)
    core = selectors.CORE_COURSE
    objective = Objective.objects.filter(code=form.cleaned_data["code"], module__course__slug=core).first()
    module_code = form.cleaned_data["module"]
    module = Module.objects.filter(code=module_code, course__slug=core).first() if module_code else None
    if objective is None or (module_code and module is None):
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
    if wants_partial(request):
        return render_page(request, "progress/study.html", _study_context(request, module), partial="study-card")
    return redirect(reverse("progress:study-module", args=[module.code]) if module else reverse("progress:study"))


def learner_settings(request: HttpRequest) -> HttpResponse:
    form = LearnerSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            learner_settings_save(user=request.user, **form.cleaned_data)
            messages.success(request, "Your settings were saved.")
            return redirect("progress:settings")
        return render(request, "progress/settings.html", {"form": form}, status=400)
    return render(request, "progress/settings.html", {"form": form})
