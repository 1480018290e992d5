"""The quiz engine: starting, answering, flagging, submitting, deadlines, results, integrity."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models.signals import post_init
from django.utils import timezone

from progress.models import ReviewEvent
from quizzes.models import Attempt, AttemptQuestion, AttemptStep, Question, Quiz
from quizzes.selectors import quiz_grade
from quizzes.services.attempts import AnswerFinal, attempt_answer, attempt_start, attempt_submit, attempts_close_expired
from tests.concurrency import at_once, errors
from tests.quizzes.helpers import answer, answer_data, make_quiz, q_url, start


def test_starting_freezes_questions_order_and_answer_order(learner_client, learner, quiz):
    attempt = start(learner_client, quiz)
    slots = list(attempt.slots.all())
    first_page = learner_client.get(q_url(attempt)).text

    # Editing the bank afterwards changes neither what the attempt shows nor how it grades.
    question = Question.objects.get(pk=slots[0].question_id)
    question.stem = "Edited stem"
    question.save()
    question.choices.update(fraction=0)

    def card(page):
        return re.search(r'<div class="question-stem">.*?</fieldset>', page, re.S).group(0)

    assert card(learner_client.get(q_url(attempt)).text) == card(first_page)
    assert "Edited stem" not in first_page
    assert [s.question_id for s in attempt.slots.all()] == [s.question_id for s in slots]
    assert len(slots) == 5
    assert str(attempt.uuid) in learner_client.get(f"/quizzes/{quiz.slug}/").text


def test_starting_writes_every_other_field_of_its_questions_with_its_default(learner, quiz):
    # On PostgreSQL the start inserts its questions in a statement of its own (from the model's fields).
    attempt = attempt_start(user=learner, quiz=quiz)

    set_by_start = {"id", "attempt_id", "position", "question_id", "objective_id", "snapshot"}
    others = [f.attname for f in AttemptQuestion._meta.concrete_fields if f.attname not in set_by_start]
    slots = list(attempt.slots.all())
    assert [[getattr(s, name) for name in others] for s in slots] == [
        [getattr(AttemptQuestion(), name) for name in others]
    ] * 5
    assert [s.position for s in slots] == [1, 2, 3, 4, 5]
    assert [s.snapshot["question_id"] for s in slots] == [s.question_id for s in slots]


def test_a_module_quiz_draws_active_questions_of_its_module_covering_each_objective(learner, quiz, small_bank):
    Question.objects.filter(idnumber="o-1").update(is_active=False)
    quiz.question_count = 2

    attempt = attempt_start(user=learner, quiz=quiz)

    slots = list(attempt.slots.select_related("objective"))
    assert {s.objective.code for s in slots} == {"9.1.1", "9.1.2"}  # round robin over objectives
    assert all(s.question.is_active for s in slots)


def test_the_final_exam_draws_fifty_across_all_sixteen_modules_in_proportion(learner, question_bank):
    final = Quiz.objects.get(kind="final")

    attempt = attempt_start(user=learner, quiz=final)

    modules = [s.objective.module.code for s in attempt.slots.select_related("objective__module")]
    assert len(modules) == 50
    assert sorted(set(modules)) == sorted(f"5.{n}" for n in range(1, 17))
    assert modules.count("5.10") > modules.count("5.13")  # 13 objectives against 2


@pytest.mark.parametrize(
    ("total", "weights", "available", "expected"),
    [
        # quotas 40.625, 6.25, 3.125: floors 40 + 6 + 3 = 49, the largest remainder (a) takes the 50th
        (50, {"a": 13, "b": 2, "c": 1}, None, {"a": 41, "b": 6, "c": 3}),
        # quotas 2.1, 0.4, 0.4: at least one each makes 4, so the largest gives one back
        (3, {"a": 5, "b": 1, "c": 1}, None, {"a": 1, "b": 1, "c": 1}),
        # never more than a module has: c has only 2 questions, its quota goes to the others
        (10, {"a": 1, "b": 1, "c": 3}, {"a": 100, "b": 100, "c": 2}, {"a": 4, "b": 4, "c": 2}),
    ],
)
def test_allocate_is_proportional_with_at_least_one_each(total, weights, available, expected):
    from quizzes.services.attempts import allocate

    shares = allocate(total, weights, available or dict.fromkeys(weights, 100))

    assert shares == expected


def test_another_learners_attempt_answers_404(client, learner, other_learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    client.force_login(other_learner)

    for url in [q_url(attempt), f"/attempts/{attempt.uuid}/summary/", f"/attempts/{attempt.uuid}/result/"]:
        assert client.get(url).status_code == 404
    assert client.post(q_url(attempt), {"choice": "x", "go": "check"}).status_code == 404
    assert client.post(f"/attempts/{attempt.uuid}/submit/", {"confirm_unanswered": "1"}).status_code == 404
    assert client.get("/attempts/not-a-uuid/1/").status_code == 404
    assert Attempt.objects.get(pk=attempt.pk).state == "in_progress"


def test_starting_again_continues_the_attempt_in_progress(learner_client, learner, quiz):
    first = start(learner_client, quiz)

    second = start(learner_client, quiz)

    assert first.pk == second.pk
    assert "Continue your attempt" in learner_client.get(f"/quizzes/{quiz.slug}/").text


def test_attempts_allowed_is_enforced(learner_client, learner, small_bank):
    quiz = make_quiz(small_bank, attempts_allowed=1)
    attempt_submit(attempt=attempt_start(user=learner, quiz=quiz))

    response = learner_client.post(f"/quizzes/{quiz.slug}/start/")

    assert response.status_code == 403
    assert "used all 1 attempt" in response.text
    assert Attempt.objects.filter(quiz=quiz).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_starts_never_exceed_attempts_allowed(postgres_only, small_bank, learner):
    quiz = make_quiz(small_bank, attempts_allowed=1)
    results = at_once(6, lambda i: attempt_start(user=learner, quiz=quiz).pk)

    assert errors(results) == []
    assert Attempt.objects.filter(quiz=quiz, user=learner).count() == 1
    assert set(results) == {Attempt.objects.get(quiz=quiz).pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_answers_at_once_to_an_immediate_feedback_question_keep_the_first(postgres_only, small_bank, learner):
    """Two tabs answer the same question at the same moment: one answer is saved and graded, the other
    is refused as final (the waiting request must read the question after the first one's save)."""
    quiz = make_quiz(small_bank, feedback_mode=Quiz.FeedbackMode.IMMEDIATE)
    attempt = attempt_start(user=learner, quiz=quiz)
    slots = list(attempt.slots.order_by("position"))

    for slot in slots:  # a pair of tabs for each question: the race is lost at once, or not at all
        responses = (answer(slot.snapshot, correct=True), answer(slot.snapshot, correct=False))
        results = at_once(
            2, lambda i, s=slot, r=responses: attempt_answer(attempt=attempt, position=s.position, response=r[i])
        )

        assert [type(r) for r in results].count(AnswerFinal) == 1, results
    assert AttemptStep.objects.filter(attempt=attempt, action="answer").count() == len(slots)
    assert ReviewEvent.objects.filter(user=learner, source="quiz").count() == len(slots)


def test_plain_post_saves_and_redirects_htmx_gets_the_card(learner_client, quiz):
    attempt = start(learner_client, quiz)
    slot1, slot2 = attempt.slots.all()[:2]

    plain = learner_client.post(q_url(attempt, 1), {**answer_data(slot1.snapshot), "go": "check"})
    htmx = learner_client.post(
        q_url(attempt, 2), {**answer_data(slot2.snapshot), "go": "check"}, headers={"HX-Request": "true"}
    )

    assert plain.status_code == 302 and plain["Location"] == q_url(attempt, 1)
    assert htmx.status_code == 200
    assert htmx.text.lstrip().startswith('<section id="question-card"')
    # the navigation's count and the answered question's item out of band, not the whole navigation
    total = attempt.slots.count()
    assert f'<p id="attempt-nav-count" hx-swap-oob="true">2 of {total} answered</p>' in htmx.text
    assert f'<li id="attempt-nav-2" hx-swap-oob="true"><a href="{q_url(attempt, 2)}" class="nav-answered"' in htmx.text
    assert 'id="attempt-nav"' not in htmx.text and 'id="attempt-nav-1"' not in htmx.text
    assert [s.credit for s in attempt.slots.all()[:2]] == [1, 1]


def test_autosave_keeps_the_learners_focus(learner_client, small_bank):
    quiz = make_quiz(small_bank, feedback_mode="deferred")
    attempt = start(learner_client, quiz)
    slot = attempt.slots.first()

    response = learner_client.post(q_url(attempt), answer_data(slot.snapshot), headers={"HX-Request": "true"})

    assert response["HX-Reswap"] == "none"
    assert "saved at" in response.text
    assert attempt.slots.first().is_answered
    # nothing but what changed, out of band: the navigation's count and the answered question's item
    assert 'id="question-card"' not in response.text and 'id="attempt-nav"' not in response.text
    items = re.findall(r'<li id="attempt-nav-(\d+)" hx-swap-oob="true">.*?</li>', response.text)
    assert items == ["1"]
    assert f'<p id="attempt-nav-count" hx-swap-oob="true">1 of {attempt.slots.count()} answered</p>' in response.text


def test_the_navigation_items_swapped_out_of_band_are_those_of_the_page(learner_client, small_bank):
    quiz = make_quiz(small_bank, feedback_mode="deferred")
    attempt = start(learner_client, quiz)
    slot = attempt.slots.get(position=2)

    saved = learner_client.post(q_url(attempt, 2), answer_data(slot.snapshot), headers={"HX-Request": "true"}).text
    flagged = learner_client.post(f"/attempts/{attempt.uuid}/2/flag/", {"flagged": "1"}, headers={"HX-Request": "true"})
    page = learner_client.get(q_url(attempt, 2)).text

    def item(text):
        return re.search(r'<li id="attempt-nav-2"[^>]*>.*?</li>', text).group(0).replace(' hx-swap-oob="true"', "")

    assert 'hx-swap-oob="true"' in flagged.text and 'id="attempt-nav"' not in flagged.text
    assert item(flagged.text) == item(page)
    assert "nav-flagged" in item(page) and "nav-flagged" not in item(saved)
    assert item(saved) == item(page).replace(" nav-flagged", "").replace(", flagged", "").replace(" ⚑", "")


def test_a_question_page_after_the_quiz_closed_finishes_the_attempt(learner_client, small_bank):
    quiz = make_quiz(small_bank, feedback_mode="deferred")
    attempt = start(learner_client, quiz)
    # The instructor closes the quiz after the attempt started (its own deadline stays empty).
    Quiz.objects.filter(pk=quiz.pk).update(opens_at=None, closes_at=timezone.now() - timedelta(minutes=1))

    response = learner_client.get(q_url(attempt, 1))

    assert response.status_code == 302 and response["Location"] == f"/attempts/{attempt.uuid}/result/"
    assert Attempt.objects.get(pk=attempt.pk).state == Attempt.State.FINISHED


def test_navigation_without_an_answer_saves_nothing(learner_client, quiz):
    attempt = start(learner_client, quiz)

    response = learner_client.post(q_url(attempt, 1), {"go": "next"})

    assert response["Location"] == q_url(attempt, 2)
    assert not attempt.slots.filter(response__isnull=False).exists()


def test_immediate_feedback_appears_at_once_and_the_answer_is_final(learner_client, quiz):
    attempt = start(learner_client, quiz)
    slot = attempt.slots.first()
    learner_client.post(q_url(attempt), {**answer_data(slot.snapshot, correct=False), "go": "check"})

    page = learner_client.get(q_url(attempt)).text
    again = learner_client.post(q_url(attempt), {**answer_data(slot.snapshot), "go": "check"})

    assert "✗ Incorrect" in page or "◐ Partially correct" in page
    assert slot.snapshot["explanation_html"] in page
    assert f'href="{slot.objective.get_absolute_url()}"' in page
    assert again.status_code == 409
    assert "This answer is final" in again.text
    assert attempt.slots.first().credit < 1


def test_deferred_mode_lets_the_learner_change_until_submitting(learner_client, small_bank):
    quiz = make_quiz(small_bank, feedback_mode="deferred")
    attempt = start(learner_client, quiz)
    slot = attempt.slots.first()

    learner_client.post(q_url(attempt), {**answer_data(slot.snapshot, correct=False), "go": "save"})
    learner_client.post(q_url(attempt), {**answer_data(slot.snapshot, correct=True), "go": "save"})
    page = learner_client.get(q_url(attempt)).text

    assert attempt.slots.first().credit == 1
    assert slot.snapshot["explanation_html"] not in page  # no feedback before submitting
    assert "✓ Correct" not in page


@pytest.mark.parametrize("mode", ["immediate", "deferred", "none"])
def test_no_page_gives_the_answer_away_before_it_is_final(learner_client, small_bank, mode):
    quiz = make_quiz(small_bank, feedback_mode=mode, shuffle_answers=False)
    attempt = start(learner_client, quiz)

    for slot in attempt.slots.all():
        for headers in ({}, {"HX-Request": "true"}):
            page = learner_client.get(q_url(attempt, slot.position), headers=headers).text
            hidden = [slot.snapshot["explanation_html"]] + [c["feedback_html"] for c in slot.snapshot["choices"]]
            assert not [h for h in hidden if h and h in page], slot.snapshot["kind"]
            assert "fraction" not in page and "data-correct" not in page and "is_correct" not in page
            assert "correct answer" not in page.lower()
            # keys are random tokens, and the list is not the correct order for ordering questions
            keys = re.findall(r'(?:value|name)="(?:position-|pair-)?([0-9a-f]{12})"', page)
            assert keys and all(re.fullmatch(r"[0-9a-f]{12}", k) for k in keys)
        if slot.snapshot["kind"] == "ordering":
            assert [c["order"] for c in slot.snapshot["choices"]] != sorted(
                c["order"] for c in slot.snapshot["choices"]
            )
        if mode != "immediate":  # answered but not submitted: still nothing
            learner_client.post(q_url(attempt, slot.position), {**answer_data(slot.snapshot), "go": "save"})
            page = learner_client.get(q_url(attempt, slot.position)).text
            assert slot.snapshot["explanation_html"] not in page


@pytest.mark.parametrize(
    "data",
    [{"choice": "feedc0ffee00", "go": "check"}, {"choices": ["feedc0ffee00"], "go": "check"},
     {"pair-feedc0ffee00": "feedc0ffee00", "go": "check"}, {"position-feedc0ffee00": "1", "go": "check"}],
)  # fmt: skip
def test_an_answer_naming_a_choice_not_in_the_attempt_is_400_and_changes_nothing(learner_client, quiz, data):
    attempt = start(learner_client, quiz)
    steps = AttemptStep.objects.count()

    responses = [learner_client.post(q_url(attempt, s.position), data) for s in attempt.slots.all()]

    assert {r.status_code for r in responses} == {400}
    assert not attempt.slots.filter(response__isnull=False).exists()
    assert AttemptStep.objects.count() == steps


def test_an_answer_to_a_question_not_in_the_attempt_is_400(learner_client, quiz):
    attempt = start(learner_client, quiz)

    response = learner_client.post(q_url(attempt, 99), {"choice": "x", "go": "check"})

    assert response.status_code == 400
    assert "not part of this attempt" in response.text
    assert learner_client.get(q_url(attempt, 99)).status_code == 404


def test_flags_show_in_the_navigator_and_the_summary(learner_client, quiz):
    attempt = start(learner_client, quiz)

    htmx = learner_client.post(f"/attempts/{attempt.uuid}/2/flag/", {"flagged": "1"}, headers={"HX-Request": "true"})
    learner_client.post(q_url(attempt, 1), {**answer_data(attempt.slots.first().snapshot), "go": "check"})
    summary = learner_client.get(f"/attempts/{attempt.uuid}/summary/").text

    assert "Remove the review flag" in htmx.text and "nav-flagged" in htmx.text
    assert "1 question flagged for review" in summary
    assert "4 questions not answered" in summary
    plain = learner_client.post(f"/attempts/{attempt.uuid}/2/flag/", {"flagged": "0"})
    assert plain.status_code == 302
    assert not attempt.slots.filter(flagged=True).exists()


def test_submitting_twice_gives_one_grade_and_later_answers_are_refused(learner_client, quiz):
    attempt = start(learner_client, quiz)
    for slot in attempt.slots.all():
        learner_client.post(q_url(attempt, slot.position), {**answer_data(slot.snapshot), "go": "check"})

    first = learner_client.post(f"/attempts/{attempt.uuid}/submit/", {"confirm_unanswered": "1"})
    second = learner_client.post(f"/attempts/{attempt.uuid}/submit/", {"confirm_unanswered": "1"})
    late = learner_client.post(q_url(attempt, 1), {**answer_data(attempt.slots.first().snapshot), "go": "check"})

    attempt.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert (attempt.state, attempt.score, attempt.passed) == ("finished", Decimal(1), True)
    assert AttemptStep.objects.filter(attempt=attempt, action="submit").count() == 1
    assert late.status_code == 409
    assert "has been submitted" in late.text
    assert list(AttemptStep.objects.filter(attempt=attempt).values_list("action", flat=True)) == [
        "start", "answer", "answer", "answer", "answer", "answer", "submit",
    ]  # fmt: skip


def test_the_deadline_is_kept_across_reloads_and_enforced(learner_client, learner, small_bank):
    quiz = make_quiz(small_bank, time_limit=timedelta(minutes=10), feedback_mode="deferred")
    attempt = start(learner_client, quiz)
    slot = attempt.slots.first()
    learner_client.post(q_url(attempt), {**answer_data(slot.snapshot), "go": "save"})
    page1, page2 = learner_client.get(q_url(attempt)).text, learner_client.get(q_url(attempt)).text
    deadline = re.search(r'data-deadline="([^"]+)"', page1).group(1)
    assert deadline == re.search(r'data-deadline="([^"]+)"', page2).group(1)

    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(minutes=11), deadline=timezone.now() - timedelta(minutes=1)
    )
    late = learner_client.post(q_url(attempt, 2), {**answer_data(attempt.slots.all()[1].snapshot), "go": "save"})

    attempt.refresh_from_db()
    assert late.status_code == 409
    assert "Time is up" in late.text
    assert attempt.state == "finished"
    assert attempt.score == Decimal("0.2")  # the one answer saved in time
    assert learner_client.get(q_url(attempt)).status_code == 302  # now the result


def test_close_expired_attempts_finishes_abandoned_ones(learner, other_learner, small_bank):
    quiz = make_quiz(small_bank, time_limit=timedelta(minutes=5))
    late = attempt_start(user=learner, quiz=quiz, now=timezone.now() - timedelta(hours=1))
    fresh = attempt_start(user=other_learner, quiz=quiz)
    out = io.StringIO()

    call_command("close_expired_attempts", stdout=out)

    assert "Closed 1 attempt(s)." in out.getvalue()
    assert Attempt.objects.get(pk=late.pk).state == "finished"
    assert Attempt.objects.get(pk=fresh.pk).state == "in_progress"
    assert attempts_close_expired() == 0  # idempotent


def test_quiz_dates_are_enforced(learner_client, small_bank):
    later = make_quiz(small_bank, slug="later", opens_at=timezone.now() + timedelta(days=1))
    closed = make_quiz(small_bank, slug="closed", closes_at=timezone.now() - timedelta(days=1),
                       opens_at=timezone.now() - timedelta(days=2))  # fmt: skip

    assert "This quiz opens on" in learner_client.post("/quizzes/later/start/").text
    assert learner_client.post("/quizzes/closed/start/").status_code == 403
    assert not Attempt.objects.filter(quiz__in=[later, closed]).exists()


def test_result_page_scores_and_reviews_with_links_to_the_notes(learner_client, quiz):
    attempt = start(learner_client, quiz)
    slots = list(attempt.slots.all())
    for slot in slots:
        learner_client.post(
            q_url(attempt, slot.position), {**answer_data(slot.snapshot, slot.position != 1), "go": "check"}
        )
    learner_client.post(f"/attempts/{attempt.uuid}/submit/", {"confirm_unanswered": "1"})

    page = learner_client.get(f"/attempts/{attempt.uuid}/result/").text

    attempt.refresh_from_db()
    assert f"Result: {round(attempt.score * 100)}%" in page
    assert "Time taken" in page
    assert page.count("Read the note for") == 1
    assert f'href="{slots[0].objective.get_absolute_url()}"' in page
    assert "Correct answer:" in page


def test_review_hides_what_the_quiz_settings_hide(learner_client, small_bank):
    quiz = make_quiz(small_bank, feedback_mode="none", show_correct_answers=False)
    attempt = start(learner_client, quiz)
    learner_client.post(f"/attempts/{attempt.uuid}/submit/", {"confirm_unanswered": "1"})

    page = learner_client.get(f"/attempts/{attempt.uuid}/result/").text

    assert "Correct answer:" not in page
    assert attempt.slots.first().snapshot["explanation_html"] not in page
    assert "✓" not in page and "✗" not in page and "not answered" not in page  # "none": the score only
    assert "shows your score only" in page


def test_the_final_exam_result_has_a_per_module_breakdown(learner_client, learner, question_bank):
    attempt = attempt_start(user=learner, quiz=Quiz.objects.get(kind="final"))
    attempt_submit(attempt=attempt)

    page = learner_client.get(f"/attempts/{attempt.uuid}/result/").text

    assert "By module" in page
    assert page.count('href="/modules/5.') >= 16


@pytest.mark.parametrize(
    ("method", "expected"),
    [("highest", "0.9"), ("last", "0.5"), ("first", "0.6"), ("average", "0.6667")],
)
def test_quiz_grade_by_grading_method(method, expected):
    attempts = [Attempt(number=n, state="finished", score=Decimal(s)) for n, s in [(1, "0.6"), (2, "0.9"), (3, "0.5")]]

    assert quiz_grade([*attempts, Attempt(number=4, state="in_progress")], method) == Decimal(expected)


def test_practice_from_wrong_answers(learner_client, learner, quiz):
    nothing = learner_client.post("/quizzes/practice/wrong/", follow=True)  # a new learner: not an error
    assert nothing.status_code == 200 and nothing.redirect_chain[-1][0] == "/quizzes/"
    assert "Nothing to practise yet: you have no wrong answers" in nothing.text
    attempt = attempt_start(user=learner, quiz=quiz)
    wrong = attempt.slots.first()
    attempt_answer(attempt=attempt, position=1, response=answer(wrong.snapshot, correct=False))
    for slot in attempt.slots.all()[1:]:
        attempt_answer(attempt=attempt, position=slot.position, response=answer(slot.snapshot))
    attempt_submit(attempt=attempt)

    response = learner_client.post("/quizzes/practice/wrong/")

    practice = Attempt.objects.get(quiz__kind="practice")
    assert response["Location"] == q_url(practice)
    assert [s.question_id for s in practice.slots.all()] == [wrong.question_id]
    attempt_submit(attempt=practice)
    assert learner_client.post("/quizzes/practice/weakest/").status_code == 302
    assert learner_client.post("/quizzes/practice/other/").status_code == 404
    assert learner_client.post("/quizzes/practice/objective/", {"code": "0.0.0"}).status_code == 404


def test_practice_one_objective(learner_client, learner, quiz):
    learner_client.post(f"/attempts/{attempt_start(user=learner, quiz=quiz).uuid}/submit/", {"confirm_unanswered": "1"})

    response = learner_client.post("/quizzes/practice/objective/", {"code": "9.1.2"})

    practice = Attempt.objects.get(quiz__kind="practice")
    assert response.status_code == 302
    assert practice.quiz.title == "Practice: 9.1.2"
    assert {s.objective.code for s in practice.slots.all()} == {"9.1.2"}


def test_a_practice_quiz_is_only_its_owners(client, learner, other_learner, quiz):
    practice = Quiz.objects.create(slug="p1", title="Private practice of learner one", kind="practice", owner=learner)
    client.force_login(other_learner)

    assert client.get(f"/quizzes/{practice.slug}/").status_code == 404
    assert practice.title not in client.get("/quizzes/").text


@pytest.mark.parametrize("n", [5, 50])
def test_question_and_result_pages_query_counts_are_flat(learner_client, learner, django_assert_num_queries, n):
    from quizzes.services.bank import gift_import
    from tests.factories import ModuleFactory, ObjectiveFactory

    module = ModuleFactory(code="8.1")
    ObjectiveFactory(module=module, code="8.1.1")
    gift_import(text="$CATEGORY: 8.1/8.1.1\n\n" + "\n\n".join(f"Q{i}?{{=a ~b ~c}}" for i in range(n)))
    quiz = make_quiz(module, question_count=n)
    attempt = attempt_start(user=learner, quiz=quiz)

    # session, user, attempt with its quiz (its deadline says whether it has expired), slots (only the
    # shown one's snapshot)
    with django_assert_num_queries(4):
        assert learner_client.get(q_url(attempt, 2)).status_code == 200
    attempt_submit(attempt=attempt)
    # session, user, attempts past their deadline (expiry), attempt (with its regrade), slots with objectives,
    # questions of attempts in progress (their answers stay hidden)
    with django_assert_num_queries(6):
        assert learner_client.get(f"/attempts/{attempt.uuid}/result/").status_code == 200


def _module_bank(n: int):
    from quizzes.services.bank import gift_import
    from tests.factories import ModuleFactory, ObjectiveFactory

    module = ModuleFactory(code="8.1")
    ObjectiveFactory(module=module, code="8.1.1")
    gift_import(text="$CATEGORY: 8.1/8.1.1\n\n" + "\n\n".join(f"Q{i}?{{=a ~b ~c}}" for i in range(n)))
    return module


@pytest.mark.parametrize("n", [5, 50])
def test_an_autosaved_answer_query_count_is_flat(learner_client, learner, django_assert_num_queries, n):
    quiz = make_quiz(_module_bank(n), question_count=n, feedback_mode="deferred")
    attempt = attempt_start(user=learner, quiz=quiz)
    data = answer_data(attempt.slots.get(position=2).snapshot)

    # session, user, attempt with its quiz (its deadline says whether it has expired), the question's
    # snapshot; then in a transaction (savepoint and release): the attempt's lock (its state only), the
    # question, its update, the "answer" step; then the attempt's counts (the navigation's count)
    with django_assert_num_queries(11):
        response = learner_client.post(q_url(attempt, 2), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert attempt.slots.get(position=2).response is not None


@pytest.mark.parametrize("n", [5, 50])
def test_starting_a_quiz_query_count_is_flat_as_the_bank_grows(learner_client, learner, django_assert_num_queries, n):
    quiz = make_quiz(_module_bank(n), question_count=5)

    built = []

    def count(sender, **kwargs):
        built.append(sender)

    post_init.connect(count, sender=Question)
    try:
        # session, user, quiz, attempt in progress, attempts so far, the candidates' ids and places, the
        # questions drawn and their choices (as values, for the snapshots); savepoint, attempt, its
        # questions, "start" step, release; the first open question
        with django_assert_num_queries(14):
            assert learner_client.post(f"/quizzes/{quiz.slug}/start/").status_code == 302
    finally:
        post_init.disconnect(count, sender=Question)
    assert Attempt.objects.get(quiz=quiz).slots.count() == 5
    assert built == []  # not the whole bank, nor the questions drawn: their snapshots are made from values


@pytest.mark.parametrize("n", [1, 20])
def test_quiz_list_quiz_page_and_summary_query_counts_are_flat(learner_client, learner, small_bank, n,
                                                               django_assert_num_queries):  # fmt: skip
    quizzes = [make_quiz(small_bank, slug=f"q-{i}", attempts_allowed=None) for i in range(n)]
    for quiz in quizzes:
        attempt_submit(attempt=attempt_start(user=learner, quiz=quiz))
    for _ in range(n - 1):
        attempt_submit(attempt=attempt_start(user=learner, quiz=quizzes[0]))
    current = attempt_start(user=learner, quiz=quizzes[0])

    # session, user, attempts past their deadline (expiry), quizzes, attempts
    with django_assert_num_queries(5):
        assert learner_client.get("/quizzes/").status_code == 200
    # session, user, attempts past their deadline (expiry), quiz, attempts
    with django_assert_num_queries(5):
        assert learner_client.get(f"/quizzes/{quizzes[0].slug}/").status_code == 200
    # session, user, attempt with its quiz (its deadline says whether it has expired), slots
    with django_assert_num_queries(4):
        assert learner_client.get(f"/attempts/{current.uuid}/summary/").status_code == 200


def test_continue_opens_the_first_unanswered_question(learner_client, learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    for slot in attempt.slots.order_by("position")[:2]:
        attempt_answer(attempt=attempt, position=slot.position, response=answer(slot.snapshot))

    response = learner_client.get(f"/attempts/{attempt.uuid}/")

    assert response["Location"] == q_url(attempt, 3)
    assert f'href="/attempts/{attempt.uuid}/"' in learner_client.get(f"/quizzes/{quiz.slug}/").text


def test_submitting_with_unanswered_questions_asks_first(learner_client, learner, quiz):
    attempt = attempt_start(user=learner, quiz=quiz)
    summary = learner_client.get(f"/attempts/{attempt.uuid}/summary/").text

    refused = learner_client.post(f"/attempts/{attempt.uuid}/submit/", follow=True)
    confirmed = learner_client.post(f"/attempts/{attempt.uuid}/submit/", {"confirm_unanswered": "1"})

    assert 'name="confirm_unanswered" value="1" required' in summary
    assert "5 question(s) are not answered" in refused.text
    assert refused.redirect_chain[-1][0] == f"/attempts/{attempt.uuid}/summary/"
    assert confirmed["Location"] == f"/attempts/{attempt.uuid}/result/"
    assert Attempt.objects.get(pk=attempt.pk).state == "finished"


def test_snapshots_read_as_values_are_those_of_the_questions(small_bank):
    import random

    from quizzes.services.bank import question_snapshot, questions_snapshots

    questions = list(Question.objects.filter(objective__module=small_bank).order_by("idnumber"))

    def keyless(snapshot):  # keys are random tokens (secrets), not drawn from the rng
        return {
            **snapshot,
            "choices": [{k: v for k, v in c.items() if k != "key"} for c in snapshot["choices"]],
            "answers": [{k: v for k, v in a.items() if k != "key"} for a in snapshot["answers"]],
        }

    for shuffle in (True, False):
        rng = random.Random(7)
        expected = []
        for q in questions:  # the same rng through the questions in order, as a start draws from it
            expected.append(question_snapshot(q, shuffle=shuffle, rng=rng))
        snapshots = questions_snapshots([q.pk for q in questions], shuffle=shuffle, rng=random.Random(7))
        assert [keyless(s) for s in snapshots] == [keyless(s) for s in expected]
        assert {s["kind"] for s in expected} == {"single", "multiple", "truefalse", "matching", "ordering"}
