from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, reswap

from content.models import Objective
from portal.http import error_response, render_page, reverser, wants_partial
from progress.scheduling import CERTAINTY_LABELS
from quizzes import selectors
from quizzes.forms import certainty_from_post, response_from_post
from quizzes.grading import IncompleteResponse, InvalidResponse, cbm_mark, cbm_summary
from quizzes.models import Attempt, Quiz
from quizzes.presentation import chosen_for_display, feedback_for, nav_item, response_lines
from quizzes.services import attempts
from quizzes.services.attempts import (
    AnswerFinal,
    AttemptClosed,
    NoAttemptsLeft,
    NothingToPractise,
    QuizError,
    QuizNotOpen,
)

ANSWER_FIELDS = ("choice", "choices", "pair-", "position-")
ERROR_STATUS = {QuizNotOpen: 403, NoAttemptsLeft: 403, AttemptClosed: 409, AnswerFinal: 409}


def _error(request: HttpRequest, message: str, status: int, attempt: Attempt | None = None) -> HttpResponse:
    return error_response(request, message, status, attempt=attempt)


def _quiz_error(request: HttpRequest, exc: QuizError, attempt: Attempt | None = None) -> HttpResponse:
    return _error(request, exc.message, ERROR_STATUS[type(exc)], attempt)


def _own_attempt(request: HttpRequest, uuid: str, *, regraded_at: bool = False) -> Attempt:
    """The learner's attempt, finished first if it is past its deadline (the one place:
    `attempts_close_expired`, which costs no query while it runs)."""
    attempt = selectors.attempt_get_for_user(user=request.user, uuid=uuid, regraded_at=regraded_at)
    attempts.attempts_close_expired(attempt=attempt)
    return attempt


def quiz_list(request: HttpRequest) -> HttpResponse:
    attempts.attempts_close_expired(user=request.user)
    quizzes = selectors.quizzes_with_grades(user=request.user)
    url = reverser("quizzes:quiz")  # one reverse for every quiz's link
    for quiz in quizzes:
        quiz.url = url(quiz.slug)
    return render(request, "quizzes/quiz_list.html", {"quizzes": quizzes})


def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    attempts.attempts_close_expired(user=request.user)
    quiz = selectors.quiz_get_for_user(user=request.user, slug=slug)
    my_attempts = list(quiz.attempts.filter(user=request.user).order_by("number"))
    context = {
        "quiz": quiz,
        "my_attempts": my_attempts,
        "grade": selectors.quiz_grade(my_attempts, quiz.grading_method),
        "in_progress": next((a for a in my_attempts if not a.is_finished), None),
        "attempts_left": None if quiz.attempts_allowed is None else max(0, quiz.attempts_allowed - len(my_attempts)),
    }
    return render(request, "quizzes/quiz_detail.html", context)


@require_POST
def quiz_start(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = selectors.quiz_get_for_user(user=request.user, slug=slug)
    try:
        attempt = attempts.attempt_start(user=request.user, quiz=quiz)
    except QuizError as exc:
        return _quiz_error(request, exc)
    return redirect(_first_open_position(attempt))


@require_POST
def practice_start(request: HttpRequest, source: str) -> HttpResponse:
    if source not in ("wrong", "weakest", "objective"):
        return _error(request, "Practise “wrong” questions, “weakest” objectives or one objective.", 404)
    if source == "objective":
        weakest = list(Objective.objects.filter(code=request.POST.get("code", "")))
        if not weakest:
            return _error(request, "There is no objective with that code.", 404)
    else:
        weakest = selectors.weakest_objectives(user=request.user)
    current = selectors.practice_in_progress(user=request.user)
    if current is not None:  # one practice at a time: finish it (or submit it) before making another
        messages.info(request, "You have a practice quiz in progress: finish it before starting another.")
        return redirect(_first_open_position(current))
    try:
        quiz = attempts.practice_quiz_create(
            user=request.user, source=source, wrong=selectors.wrong_questions(user=request.user), weakest=weakest
        )
        attempt = attempts.attempt_start(user=request.user, quiz=quiz)
    except NothingToPractise as exc:  # not an error: a new learner has nothing to practise yet
        messages.info(request, exc.message)
        return redirect("quizzes:list")
    except QuizError as exc:
        return _quiz_error(request, exc)
    return redirect(_first_open_position(attempt))


def _first_open_position(attempt: Attempt) -> str:
    first = attempt.slots.filter(response__isnull=True).order_by("position").values_list("position", flat=True).first()
    return reverse("quizzes:attempt-question", kwargs={"uuid": attempt.uuid, "position": first or 1})


def _question_url(attempt: Attempt) -> str:
    """The attempt's question URL without the position: one reverse for every link to its questions."""
    return reverse("quizzes:attempt-question", kwargs={"uuid": attempt.uuid, "position": 1}).removesuffix("1/")


def _card_context(attempt: Attempt, slot, *, total: int, answered: int, objective_code: str) -> dict:
    """What the question card shows of `slot` (read with its snapshot), and the navigation's count
    and the slot's own item (both out of band in a fragment: an answer or a flag changes only them)."""
    immediate = attempt.feedback_mode == Quiz.FeedbackMode.IMMEDIATE
    feedback = None
    if immediate and slot.is_answered:
        feedback = feedback_for(slot.snapshot, slot.response, slot.credit)
    position = slot.position
    question_url = _question_url(attempt)
    return {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "slot": slot,
        "total": total,
        "answered_count": answered,
        "snapshot": slot.snapshot,
        "chosen": chosen_for_display(slot.snapshot, slot.response),
        "disabled": attempt.is_finished or (immediate and slot.is_answered),
        "feedback": feedback,
        "objective_url": reverse("content:objective", kwargs={"code": objective_code}) if feedback else None,
        "question_url": question_url,
        "nav_item": nav_item(slot, current=position, immediate=immediate, question_url=question_url, oob=True),
        "positions": range(1, len(slot.snapshot["choices"]) + 1),
        "immediate": immediate,
        "ask_certainty": attempt.ask_certainty,
        "certainty_levels": CERTAINTY_LABELS.items(),
        "cbm_mark": cbm_mark(slot.credit, slot.certainty) if feedback and slot.certainty else None,
        "previous": position - 1 if position > 1 else None,
        "next": position + 1 if position < total else None,
    }


def _question_context(attempt: Attempt, position: int) -> dict | None:
    """The question page: the card, and the navigation of every question (its items built once in Python)."""
    slot, slots = selectors.attempt_slots_for_question(attempt=attempt, position=position)
    if slot is None:
        return None
    answered = sum(1 for s in slots if s.is_answered)
    context = _card_context(attempt, slot, total=len(slots), answered=answered, objective_code=slot.objective_code)
    immediate, question_url = context["immediate"], context["question_url"]
    context["nav_items"] = [
        nav_item(s, current=position, immediate=immediate, question_url=question_url) for s in slots
    ]
    return context


def _answered_context(attempt: Attempt, slot) -> dict:
    """The card after an answer was saved, from the saved question (`attempt_answer` returns it with its
    objective's code) and the attempt's counts: the other 49 questions are not read."""
    total, answered = selectors.attempt_counts(attempt=attempt)
    return _card_context(attempt, slot, total=total, answered=answered, objective_code=slot.objective_code)


def attempt_question(request: HttpRequest, uuid: str, position: int) -> HttpResponse:
    """One question of an attempt (GET), or saving its answer (POST: htmx fragment or redirect)."""
    attempt = _own_attempt(request, uuid)
    if request.method == "POST":
        return _attempt_question_post(request, attempt, position)
    if attempt.is_finished:
        return redirect("quizzes:attempt-result", uuid=attempt.uuid)
    context = _question_context(attempt, position)
    if context is None:
        return _error(request, "This attempt has no question with that number.", 404, attempt)
    return render(request, "quizzes/attempt_question.html", context)


def _attempt_question_post(request: HttpRequest, attempt: Attempt, position: int) -> HttpResponse:
    go = request.POST.get("go", "")
    snapshot = attempt.slots.filter(position=position).values_list("snapshot", flat=True).first()
    if snapshot is None:
        return _error(request, "That question is not part of this attempt.", 400, attempt)
    answered = any(key.startswith(ANSWER_FIELDS) and request.POST.get(key) for key in request.POST)
    navigating = go in ("next", "prev", "summary")
    saved = None
    if answered or go in ("save", "check", ""):
        try:
            response = response_from_post(snapshot, request.POST)
            certainty = certainty_from_post(request.POST)
            saved = attempts.attempt_answer(attempt=attempt, position=position, response=response, certainty=certainty)
        except IncompleteResponse as exc:
            if not navigating:  # an unfinished answer is not saved; moving on is still allowed
                return _refused(request, attempt, position, f"Not saved yet: {exc}")
            messages.warning(request, f"Question {position} was not saved: {exc}")
        except InvalidResponse as exc:
            return _refused(request, attempt, position, str(exc))
        except QuizError as exc:
            return _quiz_error(request, exc, attempt)
    if navigating:
        if go == "summary":
            url = reverse("quizzes:attempt-summary", kwargs={"uuid": attempt.uuid})
        else:
            target = max(position - 1, 1) if go == "prev" else min(position + 1, attempt.slots.count())
            url = reverse("quizzes:attempt-question", kwargs={"uuid": attempt.uuid, "position": target})
        return HttpResponseClientRedirect(url) if wants_partial(request) else redirect(url)
    if saved:
        messages.success(request, f"Answer to question {position} saved at {timezone.localtime():%H:%M:%S}.")
    if not wants_partial(request):
        return redirect("quizzes:attempt-question", uuid=attempt.uuid, position=position)
    context = _answered_context(attempt, saved) if saved else _question_context(attempt, position)
    if not go:  # an autosave keeps the learner's focus: the card stays, only the navigation's changes go out
        response = render_page(request, "quizzes/attempt_question.html", context, partial="nav-changes")
        return reswap(response, "none")
    context["go"] = go  # focus stays on the button pressed
    return render_page(request, "quizzes/attempt_question.html", context, partial="question-card")


def _refused(request: HttpRequest, attempt: Attempt, position: int, message: str) -> HttpResponse:
    """A refused answer: htmx gets the message in the status region; a plain browser gets the question
    page again, with the message and a 400, so the learner can put it right at once."""
    if wants_partial(request):
        return _error(request, message, 400, attempt)
    messages.error(request, message)
    return render_page(request, "quizzes/attempt_question.html", _question_context(attempt, position), status=400)


@require_POST
def attempt_flag_view(request: HttpRequest, uuid: str, position: int) -> HttpResponse:
    attempt = selectors.attempt_get_for_user(user=request.user, uuid=uuid)
    try:
        slot = attempts.attempt_flag(attempt=attempt, position=position, flagged=request.POST.get("flagged") == "1")
    except InvalidResponse as exc:
        return _error(request, str(exc), 400, attempt)
    except QuizError as exc:
        return _quiz_error(request, exc, attempt)
    if wants_partial(request):  # the form and the question's navigation item
        immediate = attempt.feedback_mode == Quiz.FeedbackMode.IMMEDIATE
        url = _question_url(attempt)
        item = nav_item(slot, current=position, immediate=immediate, question_url=url, oob=True)
        context = {"attempt": attempt, "slot": slot, "question_url": url, "nav_item": item}
        return render_page(request, "quizzes/attempt_question.html", context, partial="flag-form")
    return redirect("quizzes:attempt-question", uuid=attempt.uuid, position=position)


def attempt_continue(request: HttpRequest, uuid: str) -> HttpResponse:
    """Where the learner left off: the first unanswered question, or the result once finished."""
    attempt = _own_attempt(request, uuid)
    if attempt.is_finished:
        return redirect("quizzes:attempt-result", uuid=attempt.uuid)
    return redirect(_first_open_position(attempt))


def attempt_summary(request: HttpRequest, uuid: str) -> HttpResponse:
    attempt = _own_attempt(request, uuid)
    if attempt.is_finished:
        return redirect("quizzes:attempt-result", uuid=attempt.uuid)
    slots = selectors.attempt_slots(attempt=attempt)
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "slots": slots,
        "unanswered": [s for s in slots if not s.is_answered],
        "flagged": [s for s in slots if s.flagged],
    }
    return render(request, "quizzes/attempt_summary.html", context)


@require_POST
def attempt_submit_view(request: HttpRequest, uuid: str) -> HttpResponse:
    attempt = selectors.attempt_get_for_user(user=request.user, uuid=uuid)
    was_finished = attempt.is_finished
    unanswered = 0 if was_finished else attempt.slots.filter(response__isnull=True).count()
    if unanswered and request.POST.get("confirm_unanswered") != "1":
        messages.warning(
            request, f"{unanswered} question(s) are not answered: confirm that you want to submit without them."
        )
        return redirect("quizzes:attempt-summary", uuid=attempt.uuid)
    attempts.attempt_submit(attempt=attempt)
    if not was_finished:
        messages.success(request, "Your attempt was submitted.")
    return redirect("quizzes:attempt-result", uuid=attempt.uuid)


def attempt_result(request: HttpRequest, uuid: str) -> HttpResponse:
    attempts.attempts_close_expired(user=request.user)  # the review hides what other attempts in progress hold
    attempt = selectors.attempt_get_for_user(user=request.user, uuid=uuid, regraded_at=True)
    if not attempt.is_finished:
        return redirect(_first_open_position(attempt))
    quiz = attempt.quiz
    slots = selectors.attempt_slots(attempt=attempt)
    show_feedback = attempt.feedback_mode != Quiz.FeedbackMode.NONE  # "none": the score only
    held = selectors.questions_in_progress(user=request.user) if show_feedback else set()
    review = []
    objective_url = reverser("content:objective")  # one reverse for 50 links
    for slot in slots if show_feedback else []:
        credit = slot.credit or 0
        hidden = slot.question_id in held  # in another attempt still running: its answer waits
        review.append(
            {
                "slot": slot,
                "objective_url": objective_url(slot.objective.code),
                "your_answer": response_lines(slot.snapshot, slot.response),
                "hidden": hidden,
                "feedback": feedback_for(slot.snapshot, slot.response or {}, credit)
                if slot.is_answered and not hidden
                else None,
                "verdict": "unanswered" if not slot.is_answered else feedback_for_verdict(credit),
                "cbm_mark": cbm_mark(credit, slot.certainty) if slot.is_answered and slot.certainty else None,
            }
        )
    cbm = cbm_summary([(s.credit, s.certainty) for s in slots]) if attempt.ask_certainty and show_feedback else None
    breakdown = None
    if quiz.kind == Quiz.Kind.FINAL:
        breakdown = selectors.module_breakdown(slots=slots)
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "review": review,
        "show_feedback": show_feedback,
        "show_correct": attempt.show_correct_answers and show_feedback,
        "breakdown": breakdown,
        "cbm": cbm,
        "time_taken": attempt.finished_at - attempt.started_at,
        "score_percent": round(attempt.score * 100),
    }
    return render(request, "quizzes/attempt_result.html", context)


def feedback_for_verdict(credit) -> str:
    return "correct" if credit == 1 else ("partially correct" if credit > 0 else "incorrect")
