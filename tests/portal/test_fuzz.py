"""Bad input never gives a 500 (issue 12): generated values sent to every form and POST endpoint.

Values: ids and codes that exist, that do not, that belong to someone else; wrong types, huge and
control-character strings, missing fields, several values for one field. Each example runs in a
savepoint rolled back after it and must answer 2xx, 3xx or 4xx; what others own (and, after a 4xx,
what the sender owns) must be as it was. A last test sends sequences: replayed and out-of-order requests.
"""

import copy
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohorts.models import Cohort, Membership
from portal.models import User
from progress.models import ReviewEvent
from quizzes.models import Attempt, AttemptQuestion
from quizzes.services.attempts import attempt_start
from tests.cohorts.helpers import take_quiz
from tests.factories import (
    CohortFactory,
    CourseFactory,
    MembershipFactory,
    ModuleFactory,
    ObjectiveFactory,
    QuestionFactory,
    QuizFactory,
)

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world(learner, other_learner, instructor, superuser):
    from django.contrib.auth.models import Group

    course = CourseFactory(slug="process-and-procedures")
    quizzes, objectives = [], []
    for order in (1, 2):
        module = ModuleFactory(course=course, code=f"5.{order}", title=f"Module 5.{order}", order=order)
        objective = ObjectiveFactory(module=module, code=f"5.{order}.1", order=1)
        objectives.append(objective)
        for kind in ("single", "multiple", "matching", "ordering"):
            QuestionFactory(objective=objective, kind=kind)
        quizzes.append(QuizFactory(slug=f"quiz-5-{order}", module=module, question_count=4, attempts_allowed=None))
    other_instructor = User.objects.create_user("other.instructor@example.com", "x", is_staff=True)
    other_instructor.groups.add(Group.objects.get(name="Instructors"))
    cohort = CohortFactory(name="Spring", instructors=[instructor])
    other_cohort = CohortFactory(name="Autumn", instructors=[other_instructor])
    membership = MembershipFactory(cohort=cohort, user=learner)
    others_membership = MembershipFactory(cohort=other_cohort, user=other_learner)
    finished = take_quiz(learner, quizzes[0], correct=[True, False, True, False])
    running = attempt_start(user=learner, quiz=quizzes[1])
    others = attempt_start(user=other_learner, quiz=quizzes[1])
    clients = {}
    for name, user in {"learner": learner, "instructor": instructor, "superuser": superuser, "anonymous": None}.items():
        clients[name] = Client()
        if user is not None:
            clients[name].force_login(user)
    return {
        "clients": clients,
        "cookies": {name: copy.deepcopy(c.cookies) for name, c in clients.items()},
        "learner": learner,
        "running": running,
        "finished": finished,
        "others": others,
        "cohort": cohort,
        "other_cohort": other_cohort,
        "membership": membership,
        "others_membership": others_membership,
        "objectives": objectives,
        "keys": [c["key"] for s in running.slots.all() for c in s.snapshot["choices"]],
    }


# Values


def _ids(world) -> list[str]:
    """Ids of real things: the sender's, someone else's, and ones that do not exist."""
    w = world
    return [str(v) for v in [
        w["running"].uuid, w["finished"].uuid, w["others"].uuid, uuid.uuid4(), w["cohort"].uuid,
        w["other_cohort"].uuid, w["membership"].uuid, w["others_membership"].uuid, w["cohort"].join_code,
        w["other_cohort"].join_code, *(o.code for o in w["objectives"]), "5.1", "9.9.9", *w["keys"][:6],
        w["learner"].pk, 10**20, -1, 0,
    ]]  # fmt: skip


text = st.text(st.characters(codec="utf-8"), max_size=40)
control = st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp"]), min_size=1, max_size=8)
huge = st.integers(300, 5000).map(lambda n: "x" * n)  # longer than every field allows
numbers = st.one_of(st.integers(-(2**70), 2**70), st.floats(allow_nan=True)).map(str)
dates = st.sampled_from(["2030-01-01", "1900-02-30", "0000-00-00", "9999-12-31", "10000-01-01", "today"])


def values(world):
    return st.one_of(text, control, huge, numbers, dates, st.just(""), st.sampled_from(_ids(world)))


def form(world, fields: list[str]):
    """A POST body: some of `fields` (and an unknown one), each with one value or several."""
    value = values(world)
    return st.dictionaries(
        st.sampled_from([*fields, "unknown"]), st.one_of(value, st.lists(value, min_size=2, max_size=3)), max_size=6
    )


def attempt_ids(world):
    return st.sampled_from([str(world[k].uuid) for k in ("running", "finished", "others")] + [str(uuid.uuid4()), "x"])


positions = st.sampled_from([1, 2, 4, 0, 99, 10**20])

ANSWER_FIELDS = ["choice", "choices", "go", *(f"pair-{n}" for n in range(4)), *(f"position-{n}" for n in range(4))]


def endpoints(world):
    """(who sends it, a strategy of (url, data)) for every POST endpoint and form."""
    w = world

    def fixed(url, fields):
        return st.tuples(st.just(url), form(w, fields))

    def answer_fields():  # the attempt's real choice keys as field names too
        return ANSWER_FIELDS + [f"pair-{k}" for k in w["keys"]] + [f"position-{k}" for k in w["keys"]]

    cohort_urls = st.sampled_from([str(w["cohort"].uuid), str(w["other_cohort"].uuid), str(uuid.uuid4()), "x"])
    memberships = st.sampled_from([str(w["membership"].uuid), str(w["others_membership"].uuid), str(uuid.uuid4())])
    codes = st.sampled_from([o.code for o in w["objectives"]] + ["9.9.9", "5.1", "x" * 300])
    return {
        "answer": ("learner", st.tuples(
            st.builds(lambda a, p: f"/attempts/{a}/{p}/", attempt_ids(w), positions), form(w, answer_fields()))),
        "flag": ("learner", st.tuples(
            st.builds(lambda a, p: f"/attempts/{a}/{p}/flag/", attempt_ids(w), positions), form(w, ["flagged"]))),
        "submit": ("learner", st.tuples(st.builds(lambda a: f"/attempts/{a}/submit/", attempt_ids(w)), form(w, []))),
        "start": ("learner", st.tuples(
            st.sampled_from(["/quizzes/quiz-5-1/start/", "/quizzes/nope/start/"]), form(w, []))),
        "practice": ("learner", st.tuples(
            st.sampled_from(["/quizzes/practice/objective/", "/quizzes/practice/wrong/", "/quizzes/practice/x/"]),
            form(w, ["code"]))),
        "study rate": ("learner", fixed("/study/rate/", ["code", "confidence", "shown_at", "module"])),
        "studied": ("learner", st.tuples(st.builds(lambda c: f"/objectives/{c}/studied/", codes),
                                         form(w, ["studied", "next"]))),
        "settings": ("learner", fixed("/settings/", ["time_zone", "daily_new_cards", "exam_date", "recall_target",
                                                     "daily_budget", "budget_unit"])),
        "exam date": ("learner", fixed("/exam-date/", ["exam_date", "recall_target", "daily_budget", "budget_unit"])),
        "exam outcome": ("learner", fixed("/exam-outcome/", ["exam_outcome"])),
        "join with code": ("learner", fixed("/my-cohorts/join/", ["code"])),
        "join link": ("learner", st.tuples(st.builds(lambda c: f"/join/{c}/", st.sampled_from(
            [w["cohort"].join_code, w["other_cohort"].join_code, "nope"])), form(w, []))),
        "leave": ("learner", st.tuples(st.builds(lambda m: f"/my-cohorts/{m}/leave/", memberships), form(w, []))),
        "delete account": ("learner", fixed("/my-data/delete/", ["password"])),
        "change e-mail": ("learner", fixed("/accounts/email/", ["email", "action_add", "action_primary",
                                                                "action_remove", "action_send"])),
        "cohort create": ("instructor", fixed("/cohorts/", ["name"])),
        "cohort settings": ("instructor", st.tuples(
            st.builds(lambda c: f"/cohorts/{c}/settings/", cohort_urls),
            form(w, ["name", "inactive_days", "mastery_threshold"]))),
        "cohort code": ("instructor", st.tuples(st.builds(lambda c: f"/cohorts/{c}/code/", cohort_urls), form(w, []))),
        "learner remove": ("instructor", st.tuples(
            st.builds(lambda c, m: f"/cohorts/{c}/learners/{m}/{'remove'}/", cohort_urls, memberships), form(w, []))),
        "learner restore": ("instructor", st.tuples(
            st.builds(lambda c, m: f"/cohorts/{c}/learners/{m}/restore/", cohort_urls, memberships), form(w, []))),
        "question add": ("superuser", fixed("/admin/quizzes/question/add/", [
            "objective", "kind", "stem", "title", "idnumber", "text_format", "explanation", "choices-TOTAL_FORMS",
            "choices-INITIAL_FORMS", "choices-0-text", "choices-0-fraction", "choices-0-match_text"])),
        "sign up": ("anonymous", fixed("/accounts/signup/", ["email", "password1", "password2", "next"])),
        "log in": ("anonymous", fixed("/accounts/login/", ["login", "password", "next", "remember"])),
        "password reset": ("anonymous", fixed("/accounts/password/reset/", ["email"])),
        "verify code": ("anonymous", fixed("/accounts/confirm-email/", ["code"])),
    }  # fmt: skip


# What must not change


def _others(world) -> tuple:
    """Everything the sender does not own: other accounts, other people's attempts, other cohorts."""
    w = world
    return (
        list(User.objects.exclude(pk=w["learner"].pk).order_by("pk").values_list("email", "password", "is_active")),
        list(Attempt.objects.exclude(user=w["learner"]).values_list("uuid", "state", "score")),
        list(AttemptQuestion.objects.exclude(attempt__user=w["learner"]).values_list("pk", "response", "credit")),
        list(Attempt.objects.filter(pk=w["finished"].pk).values_list("state", "score", "passed")),
        list(AttemptQuestion.objects.filter(attempt=w["finished"]).values_list("pk", "response", "credit")),
        list(Cohort.objects.filter(pk=w["other_cohort"].pk).values_list("name", "join_code", "inactive_days")),
        list(Membership.objects.exclude(user=w["learner"]).values_list("pk", "state")),
    )


def _own(world) -> tuple:
    w = world
    return (
        list(
            User.objects.filter(pk=w["learner"].pk).values_list(
                "email",
                "password",
                "time_zone",
                "exam_date",
                "recall_target",
                "daily_budget",
                "budget_unit",
                "exam_outcome",
            )
        ),
        list(AttemptQuestion.objects.filter(attempt__user=w["learner"]).values_list("pk", "response", "flagged")),
        list(Attempt.objects.filter(user=w["learner"]).values_list("pk", "state")),
        ReviewEvent.objects.filter(user=w["learner"]).count(),
        list(Membership.objects.filter(user=w["learner"]).values_list("pk", "state")),
        list(Cohort.objects.values_list("pk", "name", "join_code")),
    )


def send(world, who: str, url: str, data: dict) -> int:
    """POST as `who`; the status, or the view's exception (a 500) as a failure."""
    cache.clear()  # rate limits: every example is a first try
    client = world["clients"][who]
    client.cookies = copy.deepcopy(world["cookies"][who])
    response = client.post(url, data)
    assert response.status_code < 500, (url, data, response.status_code)
    return response.status_code


def check_one(world, who: str, name: str, example) -> None:
    url, data = example
    with transaction.atomic():
        others, own = _others(world), _own(world)
        status = send(world, who, url, data)
        assert _others(world) == others, (name, url, data, status)
        if status >= 400:
            assert _own(world) == own, (name, url, data, status)
        transaction.set_rollback(True)


ENDPOINTS = [
    "answer", "flag", "submit", "start", "practice", "study rate", "studied", "settings", "exam date", "exam outcome",
    "join with code", "join link", "leave", "delete account", "change e-mail", "cohort create",
    "cohort settings", "cohort code", "learner remove", "learner restore", "question add", "sign up",
    "log in", "password reset", "verify code",
]  # fmt: skip


def test_every_post_endpoint_is_fuzzed(world):
    assert set(endpoints(world)) == set(ENDPOINTS)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_no_generated_input_gives_a_server_error_or_changes_what_it_should_not(world, name):
    who, examples = endpoints(world)[name]

    @FUZZ
    @given(example=examples)
    def run(example):
        check_one(world, who, name, example)

    run()


SEQUENCE = ["answer", "flag", "submit", "start", "practice", "study rate", "studied", "leave", "join link"]


def test_replayed_and_out_of_order_requests_give_no_server_error(world):
    """A learner's requests in any order, each possibly sent twice (submit, then answer; leave, then join…)."""
    table = endpoints(world)

    @settings(FUZZ, max_examples=15)
    @given(data=st.data())
    def run(data):
        steps = data.draw(st.lists(st.sampled_from(SEQUENCE), min_size=2, max_size=4))
        with transaction.atomic():
            others = _others(world)
            for name in steps:
                url, body = data.draw(table[name][1])
                for _ in range(data.draw(st.integers(1, 2))):  # replayed
                    send(world, "learner", url, body)
                assert _others(world) == others, steps
            transaction.set_rollback(True)

    run()


def test_a_finished_attempt_keeps_its_grade_whatever_is_posted_to_it(world):
    attempt = world["finished"]
    score = attempt.score
    for position in (1, 2, 3, 4):
        send(world, "learner", f"/attempts/{attempt.uuid}/{position}/", {"choice": world["keys"][0], "go": "save"})
    send(world, "learner", f"/attempts/{attempt.uuid}/submit/", {})

    assert Attempt.objects.get(pk=attempt.pk).score == score != Decimal(-1)
