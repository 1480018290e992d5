"""A crash loses no saved answer (issue 12, point 5): the portal under gunicorn, killed with SIGKILL in the
middle of an attempt, comes back with every answer it acknowledged, and the attempt finishes with the
right grade. Runs on SQLite (a file, WAL) and on PostgreSQL (CI runs the suite on each)."""

from decimal import Decimal

import pytest

from quizzes.models import Attempt, Question
from quizzes.views import ANSWER_FIELDS
from tests.factories import PASSWORD, UserFactory
from tests.quizzes.helpers import answer, answer_data, make_quiz
from tests.servers import WebClient, can_sign_in, form_state

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Which questions of small_bank (one of each kind) the learner gets right; the wrong single-answer and
# true/false answers are worth 0 (tests/factories.py KIND_CHOICES), the right ones 1.
RIGHT = {
    Question.Kind.SINGLE: False,
    Question.Kind.MULTIPLE: True,
    Question.Kind.TRUE_FALSE: False,
    Question.Kind.MATCHING: True,
    Question.Kind.ORDERING: True,
}


def _as_lists(data: dict) -> dict[str, list[str]]:
    return {name: value if isinstance(value, list) else [value] for name, value in data.items()}


def test_answers_acknowledged_before_a_sigkill_are_all_there_after_the_restart(small_bank, gunicorn_server):
    quiz = make_quiz(small_bank, feedback_mode="deferred", question_count=5)  # answers stay open until submit
    learner = can_sign_in(UserFactory(email="learner@example.com"))
    [server] = gunicorn_server()
    browser = WebClient(server)
    browser.log_in(learner.email, PASSWORD)
    started = browser.post(f"/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get(quiz=quiz, user=learner)
    slots = list(attempt.slots.order_by("position"))
    url = f"/attempts/{attempt.uuid}"
    forms = {s.position: answer_data(s.snapshot, RIGHT[s.snapshot["kind"]]) for s in slots}
    assert (started.status, started.location) == (302, f"{url}/1/")

    # Three answers, each acknowledged, by each way the page saves one: a plain "Next →", htmx's autosave
    # on change (no button), a plain "Save answer".
    acknowledged = [
        browser.post(f"{url}/1/", {**forms[1], "go": "next"}),
        browser.post(f"{url}/2/", forms[2], htmx=True),
        browser.post(f"{url}/3/", {**forms[3], "go": "save"}),
    ]
    assert [(r.status, r.location) for r in acknowledged] == [(302, f"{url}/2/"), (200, ""), (302, f"{url}/3/")]

    server.kill()
    server.start()

    pages = {p: browser.get(f"{url}/{p}/") for p in (1, 2, 3)}
    assert [pages[p].status for p in (1, 2, 3)] == [200, 200, 200]  # the session survived the crash too
    assert {p: form_state(pages[p].text, ANSWER_FIELDS) for p in pages} == {p: _as_lists(forms[p]) for p in pages}
    saved = {s.position: s.response for s in attempt.slots.filter(position__lte=3)}
    assert saved == {s.position: answer(s.snapshot, RIGHT[s.snapshot["kind"]]) for s in slots[:3]}

    rest = [
        browser.post(f"{url}/4/", {**forms[4], "go": "next"}, htmx=True),  # htmx "Next →": HX-Redirect
        browser.post(f"{url}/5/", {**forms[5], "go": "summary"}),
    ]
    submitted = browser.post(f"{url}/submit/")
    result = browser.get(f"{url}/result/")

    assert [(r.status, r.headers.get("HX-Redirect", r.location)) for r in rest] == [
        (200, f"{url}/5/"),
        (302, f"{url}/summary/"),
    ]
    assert (submitted.status, submitted.location) == (302, f"{url}/result/")
    expected = Decimal(sum(RIGHT[s.snapshot["kind"]] for s in slots)) / len(slots)  # 3 of 5 right: 0.6
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score) == (Attempt.State.FINISHED, expected)
    assert attempt.slots.filter(response__isnull=True).count() == 0
    assert f"<h1>Result: {round(expected * 100)}% ·" in result.text
