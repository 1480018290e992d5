"""Scale-out (issue 13, point 4): two gunicorn servers against one PostgreSQL keep no state of their own. A
learner signs in and starts a quiz on one, answers on the other, submits on the first; the grade is right
and the instructor's cohort report on the second shows it. The cache the servers share is Redis when
127.0.0.1:6379 answers (REDIS_URL for both), else the database cache."""

import csv
import io
from decimal import Decimal

import pytest
import redis
from django.db import connection

from quizzes.models import Attempt, Question
from tests.conftest import make_instructor
from tests.factories import PASSWORD, CohortFactory, MembershipFactory, UserFactory
from tests.quizzes.helpers import answer_data, make_quiz
from tests.servers import WebClient, can_sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REDIS_URL = "redis://127.0.0.1:6379/11"  # a database of its own, emptied before and after the test
RIGHT = {  # as in test_crash.py: 3 of small_bank's 5 questions right, the 2 wrong ones worth 0
    Question.Kind.SINGLE: False,
    Question.Kind.MULTIPLE: True,
    Question.Kind.TRUE_FALSE: False,
    Question.Kind.MATCHING: True,
    Question.Kind.ORDERING: True,
}


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("scale-out means app servers on one PostgreSQL (an SQLite file serves one machine); CI runs it")


@pytest.fixture
def shared_redis():
    """Redis database 11 when Redis answers on 127.0.0.1:6379, else None (the servers then share the
    database cache)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except (redis.ConnectionError, redis.TimeoutError):
        yield None
        return
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


def _shared_cache_entries(shared_redis) -> int:
    if shared_redis is not None:
        return shared_redis.dbsize()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM portal_cache")
        return cursor.fetchone()[0]


def test_a_quiz_taken_across_two_servers_is_graded_right_and_reported_on_either(
    small_bank, shared_redis, gunicorn_server
):
    quiz = make_quiz(small_bank, feedback_mode="deferred", question_count=5)
    learner = can_sign_in(UserFactory(email="learner@example.com"))
    instructor = can_sign_in(make_instructor("instructor@example.com"))
    cohort = CohortFactory(name="Spring cohort", instructors=[instructor])
    membership = MembershipFactory(cohort=cohort, user=learner)
    env = {"REDIS_URL": REDIS_URL} if shared_redis is not None else {}
    a, b = gunicorn_server(2, env=env)
    browser = WebClient(a)

    browser.log_in(learner.email, PASSWORD)  # the session is made on A
    started = browser.post(f"/quizzes/{quiz.slug}/start/")
    attempt = Attempt.objects.get(quiz=quiz, user=learner)
    url = f"/attempts/{attempt.uuid}"
    slots = list(attempt.slots.order_by("position"))
    forms = {s.position: answer_data(s.snapshot, RIGHT[s.snapshot["kind"]]) for s in slots}
    browser.use(b)
    first_page = browser.get(f"{url}/1/")  # ... and works on B
    answered = [  # odd positions by htmx's autosave, even ones by a plain "Save answer"
        browser.post(f"{url}/{s.position}/", {**forms[s.position], "go": "save"})
        if s.position % 2 == 0
        else browser.post(f"{url}/{s.position}/", forms[s.position], htmx=True)
        for s in slots
    ]
    browser.use(a)
    submitted = browser.post(f"{url}/submit/")
    result_on_b = browser.use(b).get(f"{url}/result/")

    assert (started.status, started.location) == (302, f"{url}/1/")
    assert first_page.status == 200 and "Question 1 of 5" in first_page.text
    assert [r.status for r in answered] == [200, 302, 200, 302, 200]  # htmx autosaves, plain saves
    assert (submitted.status, submitted.location) == (302, f"{url}/result/")
    expected = Decimal(sum(RIGHT[s.snapshot["kind"]] for s in slots)) / len(slots)  # 0.6
    percent = round(expected * 100)
    attempt.refresh_from_db()
    assert (attempt.state, attempt.score) == (Attempt.State.FINISHED, expected)
    assert f"<h1>Result: {percent}% ·" in result_on_b.text

    instructor_browser = WebClient(a)
    instructor_browser.log_in(instructor.email, PASSWORD)
    instructor_browser.use(b)
    overview = instructor_browser.get(f"/cohorts/{cohort.uuid}/overview.csv")
    report = instructor_browser.get(f"/cohorts/{cohort.uuid}/learners/{membership.uuid}/")

    assert overview.status == 200
    rows = {row["Learner"]: row for row in csv.DictReader(io.StringIO(overview.text))}
    assert rows[learner.email]["9.1 best quiz %"] == str(percent)
    passed = "(passed)" if expected * 100 >= quiz.pass_mark else "(not passed)"
    assert report.status == 200 and f"{percent}% {passed}" in report.text
    assert _shared_cache_entries(shared_redis) > 0  # allauth's sign-in rate limit counts, in the shared cache
