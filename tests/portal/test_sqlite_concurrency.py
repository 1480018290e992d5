"""The embedded database loses no write under concurrent requests (SQLite file, real threads).

The test database is a file (tests/conftest.py) so that each thread has its own connection and the
locking is SQLite's own, as under `make run` or gunicorn.
"""

import pytest
from django.db import connection
from django.test import Client

from quizzes.models import Attempt, AttemptStep
from quizzes.services.attempts import attempt_answer, attempt_start
from tests.concurrency import at_once
from tests.quizzes.helpers import answer, answer_data, make_quiz, q_url

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's own locking (PostgreSQL's row locks are tested elsewhere)")


def test_the_sqlite_connection_uses_wal_and_immediate_transactions(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.transaction_mode == "IMMEDIATE"


def test_ten_simultaneous_autosaves_all_save(small_bank, learner):
    quiz = make_quiz(small_bank, feedback_mode="deferred", question_count=5)
    attempt = attempt_start(user=learner, quiz=quiz)
    slots = list(attempt.slots.order_by("position"))

    results = at_once(10, lambda i: attempt_answer(
        attempt=attempt, position=slots[i % 5].position, response=answer(slots[i % 5].snapshot)
    ))  # fmt: skip

    assert [type(r).__name__ for r in results] == ["AttemptQuestion"] * 10
    assert AttemptStep.objects.filter(attempt=attempt, action="answer").count() == 10
    assert attempt.slots.filter(response__isnull=False).count() == 5


def test_a_double_clicked_submit_is_two_redirects_and_one_submission(small_bank, learner):
    quiz = make_quiz(small_bank, feedback_mode="deferred")
    attempt = attempt_start(user=learner, quiz=quiz)
    first = attempt.slots.order_by("position").first()
    attempt_answer(attempt=attempt, position=first.position, response=answer(first.snapshot))
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(learner)

    statuses = at_once(
        2, lambda i: clients[i].post(f"/attempts/{attempt.uuid}/submit/", {"confirm_unanswered": "1"}).status_code
    )

    assert statuses == [302, 302]
    assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.FINISHED
    assert AttemptStep.objects.filter(attempt=attempt, action="submit").count() == 1


def test_simultaneous_answer_posts_through_the_views_all_save(small_bank, learner):
    quiz = make_quiz(small_bank, feedback_mode="deferred", question_count=5)
    attempt = attempt_start(user=learner, quiz=quiz)
    slots = list(attempt.slots.order_by("position"))
    clients = [Client() for _ in slots]
    for client in clients:
        client.force_login(learner)

    statuses = at_once(len(slots), lambda i: clients[i].post(
        q_url(attempt, slots[i].position), {**answer_data(slots[i].snapshot), "go": "save"}
    ).status_code)  # fmt: skip

    assert statuses == [302] * len(slots)
    assert attempt.slots.filter(response__isnull=False).count() == len(slots)
