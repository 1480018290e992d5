"""Helpers shared by the quiz engine's tests (and the progress tests that take quizzes)."""

from django.http import QueryDict

from quizzes.forms import response_from_post
from quizzes.grading import correct_response, grade
from quizzes.models import Attempt, Question, Quiz
from quizzes.services.attempts import attempt_score
from tests.factories import AttemptFactory, QuizFactory


def q_url(attempt: Attempt, position: int = 1) -> str:
    return f"/attempts/{attempt.uuid}/{position}/"


def start(client, quiz) -> Attempt:
    """Start the quiz as the client's learner, through the page's own form."""
    response = client.post(f"/quizzes/{quiz.slug}/start/")
    assert response.status_code == 302, response
    return Attempt.objects.get(quiz=quiz, state="in_progress")


def answer_data(snapshot: dict, correct: bool = True) -> dict:
    """The form a learner would post to answer the question in `snapshot`, rightly or wrongly."""
    kind, choices, right = snapshot["kind"], snapshot["choices"], correct_response(snapshot)
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
        return {
            "choice": right["choice"] if correct else next(c["key"] for c in choices if c["key"] != right["choice"])
        }
    if kind == Question.Kind.MULTIPLE:
        return {
            "choices": right["choices"] if correct else [c["key"] for c in choices if c["key"] not in right["choices"]]
        }
    if kind == Question.Kind.MATCHING:
        lefts = [c for c in choices if c["text"]]
        answer_for = {a["match_text"]: a["key"] for a in snapshot["answers"]}
        picks = [c if correct else lefts[(i + 1) % len(lefts)] for i, c in enumerate(lefts)]
        return {f"pair-{c['key']}": answer_for[p["match_text"]] for c, p in zip(lefts, picks, strict=True)}
    order = right["order"] if correct else list(reversed(right["order"]))
    return {f"position-{key}": str(i) for i, key in enumerate(order, start=1)}


def answer(snapshot: dict, correct: bool = True) -> dict:
    """The response (the domain value a service takes) to the question in `snapshot`, rightly or wrongly."""
    form = QueryDict(mutable=True)
    for name, value in answer_data(snapshot, correct).items():
        form.setlist(name, value if isinstance(value, list) else [value])
    return response_from_post(snapshot, form)


def make_quiz(module, **settings) -> Quiz:
    """The module's quiz (5 questions, immediate feedback unless `settings` say otherwise)."""
    return QuizFactory(**{"slug": f"quiz-{module.code.replace('.', '-')}", "module": module, **settings})


def choice_key(snapshot: dict, text: str) -> str:
    """The snapshot's key of the choice with this text."""
    return next(c["key"] for c in snapshot["choices"] if c["text"] == text)


def take(quiz, user, answers: dict, *, number: int = 1, finished: bool = True) -> Attempt:
    """An attempt at `quiz` with `answers` (question -> a function of its snapshot giving the response),
    each graded by the real grader and the attempt scored as finishing scores it."""
    attempt = AttemptFactory(quiz=quiz, user=user, number=number, questions=list(answers))
    for slot in attempt.slots.all():
        slot.response = answers[slot.question](slot.snapshot)
        slot.credit = grade(slot.snapshot, slot.response)
        slot.save()
    if finished:
        credits = list(attempt.slots.values_list("credit", flat=True))
        attempt.score, attempt.passed = attempt_score(credits=credits, pass_mark=quiz.pass_mark)
        attempt.state = Attempt.State.FINISHED
        attempt.finished_at = attempt.started_at
        attempt.save()
    return attempt
