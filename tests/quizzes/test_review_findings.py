"""Regression tests for defects found in review: each failed before its fix."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from progress.models import ReviewEvent
from quizzes import gift
from quizzes.models import Attempt, Quiz
from quizzes.selectors import weakest_objectives
from quizzes.services.attempts import attempt_answer, attempt_start, attempt_submit
from tests.quizzes.helpers import answer, answer_data, make_quiz, q_url, start


def matching_slot(attempt):
    return next(s for s in attempt.slots.all() if s.snapshot["kind"] == "matching")


def test_matching_answer_keys_do_not_line_up_with_their_items(learner_client, quiz):
    attempt = start(learner_client, quiz)
    slot = matching_slot(attempt)

    page = learner_client.get(q_url(attempt, slot.position)).text

    items = set(re.findall(r'name="pair-([0-9a-f]{12})"', page))
    options = set(re.findall(r'<option value="([0-9a-f]{12})"', page))
    assert len(items) == 3 and len(options) == 4
    assert not items & options


def test_weakest_objectives_ignore_an_attempt_still_in_progress(learner, small_bank):
    exam = make_quiz(small_bank, feedback_mode="deferred")
    attempt = attempt_start(user=learner, quiz=exam)
    slot = attempt.slots.first()
    attempt_answer(attempt=attempt, position=1, response=answer(slot.snapshot, correct=False))

    assert weakest_objectives(user=learner) == []
    attempt_submit(attempt=attempt)
    assert [o.code for o in weakest_objectives(user=learner)] == [slot.objective.code]


@pytest.mark.parametrize("position", [0, 999])
def test_an_htmx_post_to_a_position_not_in_the_attempt_is_400(learner_client, quiz, position):
    attempt = start(learner_client, quiz)

    response = learner_client.post(q_url(attempt, position), {"go": "x"}, headers={"HX-Request": "true"})

    assert response.status_code == 400
    assert response["HX-Retarget"] == "#messages"


def test_an_ordering_position_in_other_digits_is_refused(learner_client, quiz):
    attempt = start(learner_client, quiz)
    slot = next(s for s in attempt.slots.all() if s.snapshot["kind"] == "ordering")
    data = {**answer_data(slot.snapshot), "go": "check"}
    data[next(k for k in data if k.startswith("position-"))] = "¹"

    response = learner_client.post(q_url(attempt, slot.position), data)

    assert response.status_code == 400
    assert not attempt.slots.get(pk=slot.pk).is_answered


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [("get", "/search/", {"q": "abc\x00def"}), ("get", "/objectives/a\x00b/", {}),
     ("post", "/quizzes/practice/objective/", {"code": "a\x00b"})],
)  # fmt: skip
def test_nul_characters_are_a_400(learner_client, db, method, url, data):
    response = getattr(learner_client, method)(url, data)

    assert response.status_code == 400
    assert "NUL" in response.text


@pytest.mark.parametrize(("limit", "ok"), [("-00:10:00", False), ("00:00:30", False), ("3000000 00:00:00", False),
                                           ("00:20:00", True)])  # fmt: skip
def test_time_limits_are_bounded_in_the_admin(instructor_client, small_bank, limit, ok):
    quiz = make_quiz(small_bank)
    form = {"slug": quiz.slug, "title": "T", "question_count": "3", "pass_mark": "70", "feedback_mode": "immediate",
            "grading_method": "highest", "time_limit": limit}  # fmt: skip

    response = instructor_client.post(f"/admin/quizzes/quiz/{quiz.pk}/change/", form)

    assert (response.status_code == 302) is ok
    quiz.refresh_from_db()
    assert (quiz.time_limit is not None) is ok


def test_a_gift_id_longer_than_the_field_is_an_error_with_its_line():
    parsed = gift.parse("// [id:" + "x" * 150 + "]\n::Long:: Is this long? {T}")

    assert parsed.questions == []
    assert (parsed.errors[0].line, parsed.errors[0].message) == (2, "an [id:...] is at most 100 characters")


def test_a_question_right_after_its_category_line_is_read():
    parsed = gift.parse("$CATEGORY: 9.1/9.1.1\n::Q1:: First? {T}\n\n::Q2:: Second? {F}")

    assert [(q.title, q.objective_code, q.line) for q in parsed.questions] == [("Q1", "9.1.1", 2), ("Q2", "9.1.1", 4)]


def test_a_quiz_closing_time_is_the_deadline_without_a_time_limit(learner, small_bank):
    closes = timezone.now() + timedelta(hours=1)
    quiz = make_quiz(small_bank, opens_at=timezone.now() - timedelta(days=1), closes_at=closes)

    assert attempt_start(user=learner, quiz=quiz).deadline == closes


def test_changing_the_feedback_mode_mid_attempt_changes_nothing_for_it(learner, small_bank):
    quiz = make_quiz(small_bank, feedback_mode="immediate")
    attempt = attempt_start(user=learner, quiz=quiz)
    for slot in attempt.slots.all()[:2]:
        attempt_answer(attempt=attempt, position=slot.position, response=answer(slot.snapshot))
    Quiz.objects.filter(pk=quiz.pk).update(feedback_mode="deferred")

    attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk))

    assert ReviewEvent.objects.count() == 2


def test_an_unfinished_matching_answer_is_kept_partial_and_never_blocks_moving_on(learner_client, small_bank):
    quiz = make_quiz(small_bank, feedback_mode="deferred")
    attempt = start(learner_client, quiz)
    slot = matching_slot(attempt)
    full = answer_data(slot.snapshot)
    first = dict([next(iter(full.items()))])

    autosave = learner_client.post(q_url(attempt, slot.position), first, headers={"HX-Request": "true"})
    onwards = learner_client.post(q_url(attempt, slot.position), {"go": "next"})

    assert autosave.status_code == 200 and attempt.slots.get(pk=slot.pk).is_answered  # one pair is an answer
    assert onwards.status_code == 302


def test_an_incomplete_ordering_answer_is_not_saved_but_navigation_works(learner_client, small_bank):
    quiz = make_quiz(small_bank, feedback_mode="deferred")
    attempt = start(learner_client, quiz)
    slot = next(s for s in attempt.slots.all() if s.snapshot["kind"] == "ordering")
    one = dict([next(iter(answer_data(slot.snapshot).items()))])
    last = attempt.slots.count()

    save = learner_client.post(q_url(attempt, slot.position), {**one, "go": "save"})
    onwards = learner_client.post(q_url(attempt, slot.position), {**one, "go": "next"})
    back = learner_client.post(q_url(attempt, 1), {"go": "prev"})
    past = learner_client.post(q_url(attempt, last), {"go": "next"})

    assert save.status_code == 400 and "Not saved yet" in save.text
    assert onwards.status_code == 302
    assert not attempt.slots.get(pk=slot.pk).is_answered
    assert back["Location"] == q_url(attempt, 1) and past["Location"] == q_url(attempt, last)


def test_flagging_after_the_deadline_is_refused(learner_client, small_bank):
    quiz = make_quiz(small_bank, time_limit=timedelta(minutes=5))
    attempt = start(learner_client, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))

    response = learner_client.post(f"/attempts/{attempt.uuid}/1/flag/", {"flagged": "1"})

    assert response.status_code == 409
    assert not attempt.slots.filter(flagged=True).exists()


def test_times_are_shown_in_the_learners_time_zone(learner_client, learner, small_bank):
    learner.time_zone = "America/Los_Angeles"
    learner.save()
    quiz = make_quiz(small_bank, time_limit=timedelta(minutes=30))
    attempt = start(learner_client, quiz)

    page = learner_client.get(q_url(attempt)).text

    local = timezone.localtime(attempt.deadline, timezone=__import__("zoneinfo").ZoneInfo("America/Los_Angeles"))
    assert f"(ends at {local:%H:%M})" in page


@pytest.mark.parametrize("n", [5, 20])
def test_submitting_a_deferred_attempt_takes_flat_queries(learner, django_assert_num_queries, n):
    from quizzes.services.bank import gift_import
    from tests.factories import ModuleFactory, ObjectiveFactory

    module = ModuleFactory(code="8.1")
    for o in range(1, 4):
        ObjectiveFactory(module=module, code=f"8.1.{o}", order=o)
    gift_import(text="\n\n".join(f"$CATEGORY: 8.1/8.1.{i % 3 + 1}\n\nQ{i}?{{=a ~b ~c}}" for i in range(n)))
    attempt = attempt_start(user=learner, quiz=make_quiz(module, question_count=n, feedback_mode="deferred"))
    for slot in attempt.slots.all():
        attempt_answer(attempt=attempt, position=slot.position, response=answer(slot.snapshot))

    # savepoint, lock attempt, slots, finish, step; savepoint, lock learner, insert events, read events,
    # read states, create states, release, release; refresh the attempt
    with django_assert_num_queries(14):
        attempt_submit(attempt=attempt)
    assert ReviewEvent.objects.count() == n
