"""Regrading finished attempts after a question's key is corrected (docs/grading.md: Regrading)."""

from decimal import Decimal

import pytest

from progress.models import ReviewEvent
from quizzes.models import Attempt, AttemptQuestion, AttemptStep, Choice, Question
from quizzes.services.regrade import attempts_regrade_apply, attempts_regrade_preview
from quizzes.validation import ChoiceData
from tests.factories import ChoiceFactory, QuestionFactory, QuizFactory, UserFactory
from tests.quizzes.helpers import choice_key, make_quiz, take

pytestmark = pytest.mark.django_db

# Keyed wrongly: "Uptime" is marked correct, "Number of staff" is the right answer.
WRONG_KEY = [
    ChoiceData("Number of staff"),
    ChoiceData("Response time"),
    ChoiceData("Uptime", fraction=Decimal(1)),
]


def _single(text):
    return lambda snapshot: {"choice": choice_key(snapshot, text)}


def _true(snapshot):
    return {"choice": choice_key(snapshot, "True")}


@pytest.fixture
def case(small_bank):
    """Four learners at a quiz (pass mark 70 %) with the wrongly keyed question and a true/false one
    each answered rightly: three finished attempts and one in progress."""
    quiz = make_quiz(small_bank, pass_mark=Decimal(70))
    wrong = QuestionFactory(objective=small_bank.objectives.first(), choices=WRONG_KEY, stem="Which is NOT in an SLA?")
    tf = Question.objects.get(idnumber="t-1")
    a = take(quiz, UserFactory(email="a@example.com"), {wrong: _single("Number of staff"), tf: _true})
    b = take(quiz, UserFactory(email="b@example.com"), {wrong: _single("Uptime"), tf: _true})
    c = take(quiz, UserFactory(email="c@example.com"), {wrong: _single("Response time"), tf: _true})
    d = take(quiz, UserFactory(email="d@example.com"), {wrong: _single("Number of staff"), tf: _true}, finished=False)
    return {"quiz": quiz, "question": wrong, "a": a, "b": b, "c": c, "d": d}


def _fix_key(question):
    Choice.objects.filter(question=question, text="Uptime").update(fraction=0)
    Choice.objects.filter(question=question, text="Number of staff").update(fraction=1)


def _state(*attempts):
    return [
        (a.score, a.passed, list(a.slots.values_list("snapshot", "credit")), a.steps.count())
        for a in Attempt.objects.filter(pk__in=[x.pk for x in attempts]).order_by("pk")
    ]


def test_the_dry_run_lists_the_right_attempts_from_and_to_the_right_values_and_changes_nothing(case):
    _fix_key(case["question"])
    before = _state(case["a"], case["b"], case["c"], case["d"])

    plan = attempts_regrade_preview(question=case["question"])

    assert plan.refused is None and not plan.applied
    rows = {c.email: c for c in plan.changes}
    # a: the question 0 -> 1, the attempt (0 + 1) / 2 = 0.5 -> (1 + 1) / 2 = 1, fails -> passes.
    assert (rows["a@example.com"].old_credit, rows["a@example.com"].new_credit) == (Decimal(0), Decimal(1))
    assert (rows["a@example.com"].old_score, rows["a@example.com"].new_score) == (Decimal("0.5"), Decimal(1))
    assert (rows["a@example.com"].old_passed, rows["a@example.com"].new_passed) == (False, True)
    # b: 1 -> 0, 1 -> 0.5, passes -> fails.
    assert (rows["b@example.com"].old_credit, rows["b@example.com"].new_credit) == (Decimal(1), Decimal(0))
    assert (rows["b@example.com"].new_score, rows["b@example.com"].new_passed) == (Decimal("0.5"), False)
    # c chose a wrong option either way: the key their review shows changes, the grade does not.
    assert [c.email for c in plan.grade_changes] == ["a@example.com", "b@example.com"]
    assert [c.email for c in plan.key_only] == ["c@example.com"]
    assert rows["a@example.com"].quiz_title == case["quiz"].title and rows["a@example.com"].attempt_number == 1
    assert "d@example.com" not in rows  # in progress
    assert _state(case["a"], case["b"], case["c"], case["d"]) == before


def test_apply_changes_scores_and_passes_and_appends_one_step_each(case, instructor):
    _fix_key(case["question"])
    plan = attempts_regrade_apply(question=case["question"], by=instructor)
    assert plan.applied

    a, b, c = (Attempt.objects.get(pk=case[x].pk) for x in "abc")
    assert (a.score, a.passed) == (Decimal(1), True)
    assert (b.score, b.passed) == (Decimal("0.5"), False)
    assert (c.score, c.passed) == (Decimal("0.5"), False)
    assert AttemptQuestion.objects.get(attempt=a, question=case["question"]).credit == Decimal(1)
    step = AttemptStep.objects.get(attempt=a, action="regrade")
    assert step.data == {
        "by": {"id": instructor.pk, "email": instructor.email},
        "question_id": case["question"].pk,
        "positions": [AttemptQuestion.objects.get(attempt=a, question=case["question"]).position],
        "old_credit": "0.0000",
        "new_credit": "1.0000",
        "old_score": "0.5000",
        "new_score": "1.0000",
    }
    assert [AttemptStep.objects.filter(attempt=x, action="regrade").count() for x in (a, b, c)] == [1, 1, 1]


def test_a_second_apply_changes_nothing(case, instructor):
    _fix_key(case["question"])
    attempts_regrade_apply(question=case["question"], by=instructor)
    after = _state(case["a"], case["b"], case["c"], case["d"])

    again = attempts_regrade_apply(question=case["question"], by=instructor)

    assert again.changes == () and again.unchanged == 3
    assert _state(case["a"], case["b"], case["c"], case["d"]) == after


def test_unfinished_attempts_are_untouched(case, instructor):
    _fix_key(case["question"])
    before = _state(case["d"])
    attempts_regrade_apply(question=case["question"], by=instructor)
    assert _state(case["d"]) == before
    assert Attempt.objects.get(pk=case["d"].pk).state == Attempt.State.IN_PROGRESS


def test_what_the_learner_was_shown_does_not_change(case, instructor):
    slot = AttemptQuestion.objects.get(attempt=case["a"], question=case["question"])
    shown = ("key", "text", "text_html", "feedback_html", "match_text", "match_html")
    before = (slot.snapshot["stem_html"], [tuple(c[f] for f in shown) for c in slot.snapshot["choices"]])
    _fix_key(case["question"])
    Question.objects.filter(pk=case["question"].pk).update(stem="A reworded stem", stem_html="<p>A reworded stem</p>")

    attempts_regrade_apply(question=case["question"], by=instructor)

    slot.refresh_from_db()
    assert (slot.snapshot["stem_html"], [tuple(c[f] for f in shown) for c in slot.snapshot["choices"]]) == before
    assert {c["text"]: Decimal(c["fraction"]) for c in slot.snapshot["choices"]} == {
        "Number of staff": 1,
        "Response time": 0,
        "Uptime": 0,
    }


def test_review_events_are_not_rewritten(case, instructor):
    from tests.factories import ReviewEventFactory

    ReviewEventFactory(user=case["a"].user, objective=case["question"].objective, credit=Decimal(0), rating=1)
    before = list(ReviewEvent.objects.values_list("pk", "credit", "rating"))
    _fix_key(case["question"])
    attempts_regrade_apply(question=case["question"], by=instructor)
    assert list(ReviewEvent.objects.values_list("pk", "credit", "rating")) == before


@pytest.mark.parametrize("edit", ["add", "remove", "reword"])
def test_a_question_whose_choices_no_longer_correspond_is_refused_with_a_message(case, instructor, edit):
    question = case["question"]
    _fix_key(question)
    if edit == "add":
        ChoiceFactory(question=question, text="Desk colour")
    elif edit == "remove":
        Choice.objects.filter(question=question, text="Response time").delete()
    else:
        Choice.objects.filter(question=question, text="Uptime").update(text="Availability")
    before = _state(case["a"], case["b"], case["c"])

    for plan in (attempts_regrade_preview(question=question), attempts_regrade_apply(question=question, by=instructor)):
        assert plan.refused and plan.refused.startswith("Not regraded: the options are not those the attempts showed")
        assert plan.changes == () and not plan.applied
    assert _state(case["a"], case["b"], case["c"]) == before


def test_an_ordering_key_fix_takes_the_corrected_positions(small_bank, instructor):
    quiz = QuizFactory(module=small_bank)
    question = Question.objects.get(idnumber="o-1")  # Identify, Log, Categorize, Prioritize (1-4)
    order = ["Identify", "Categorize", "Log", "Prioritize"]
    attempt = take(quiz, UserFactory(), {question: lambda s: {"order": [choice_key(s, t) for t in order]}})
    # By hand, keyed Identify, Log, Categorize, Prioritize: no item is followed by its successor: 0 / 3.
    assert Attempt.objects.get(pk=attempt.pk).score == Decimal(0)
    # The author meant Categorize before Log: the learner's order is now entirely right.
    Choice.objects.filter(question=question, text="Log").update(order=3)
    Choice.objects.filter(question=question, text="Categorize").update(order=2)

    attempts_regrade_apply(question=question, by=instructor)

    slot = AttemptQuestion.objects.get(attempt=attempt)
    assert slot.credit == Decimal(1) and Attempt.objects.get(pk=attempt.pk).score == Decimal(1)


def test_a_matching_key_fix_takes_the_corrected_answers_and_keeps_the_answer_list(small_bank, instructor):
    quiz = QuizFactory(module=small_bank)
    question = Question.objects.get(idnumber="x-1")  # Functional -> Lateral, Hierarchical -> Upwards, types -> Two

    def swapped(s):
        answer = {a["match_text"]: a["key"] for a in s["answers"]}
        return {
            "pairs": {
                choice_key(s, "Functional"): answer["Upwards"],
                choice_key(s, "Hierarchical"): answer["Lateral"],
                choice_key(s, "Number of types"): answer["Two"],
            }
        }

    attempt = take(quiz, UserFactory(), {question: swapped})
    slot = AttemptQuestion.objects.get(attempt=attempt)
    assert slot.credit == Decimal("0.3333")  # by hand: 1 of 3 pairs right
    answers_before = slot.snapshot["answers"]
    Choice.objects.filter(question=question, text="Functional").update(match_text="Upwards")
    Choice.objects.filter(question=question, text="Hierarchical").update(match_text="Lateral")

    attempts_regrade_apply(question=question, by=instructor)

    slot.refresh_from_db()
    assert slot.credit == Decimal(1)
    assert slot.snapshot["answers"] == answers_before


def test_the_result_page_says_when_the_attempt_was_regraded(case, instructor, client):
    client.force_login(case["a"].user)
    url = f"/attempts/{case['a'].uuid}/result/"
    assert "Regraded on" not in client.get(url).text
    _fix_key(case["question"])
    attempts_regrade_apply(question=case["question"], by=instructor)
    page = client.get(url).text
    assert "Regraded on" in page and "Result: 100%" in page


def test_the_admin_dry_run_is_for_instructors(case, instructor_client, client):
    _fix_key(case["question"])
    url = f"/admin/quizzes/question/{case['question'].pk}/regrade/"
    page = instructor_client.get(url)
    assert page.status_code == 200
    assert "a@example.com" in page.text and "b@example.com" in page.text and "d@example.com" not in page.text
    assert "Apply the regrade" in page.text
    assert Attempt.objects.get(pk=case["a"].pk).score == Decimal("0.5")  # a GET changes nothing
    change = instructor_client.get(f"/admin/quizzes/question/{case['question'].pk}/change/")
    assert url in change.text

    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login/?next=" in anonymous["Location"]
    client.force_login(UserFactory(is_staff=True))  # staff, without quizzes.change_question
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirm": "1"}).status_code == 403
    assert Attempt.objects.get(pk=case["a"].pk).score == Decimal("0.5")


def test_the_admin_applies_on_confirm(case, instructor_client):
    _fix_key(case["question"])
    url = f"/admin/quizzes/question/{case['question'].pk}/regrade/"
    response = instructor_client.post(url, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert "3 attempt(s) regraded, 2 with a new grade" in response.text
    assert Attempt.objects.get(pk=case["a"].pk).score == Decimal(1)
    assert AttemptStep.objects.get(attempt=case["a"], action="regrade").data["by"]["email"] == "instructor@example.com"


def test_the_admin_list_action_leads_to_the_dry_run(case, instructor_client):
    _fix_key(case["question"])
    other = Question.objects.get(idnumber="t-1")
    data = {"action": "regrade", "_selected_action": [case["question"].pk]}
    response = instructor_client.post("/admin/quizzes/question/", data)
    assert response["Location"] == f"/admin/quizzes/question/{case['question'].pk}/regrade/"
    data["_selected_action"] = [case["question"].pk, other.pk]
    response = instructor_client.post("/admin/quizzes/question/", data, follow=True)
    assert response.status_code == 200 and "a@example.com" in response.text and "Nothing to regrade" in response.text
    assert Attempt.objects.get(pk=case["a"].pk).score == Decimal("0.5")


@pytest.mark.parametrize("n", [1, 20])
def test_the_dry_run_page_query_count_is_flat(small_bank, instructor_client, django_assert_num_queries, n):
    quiz = make_quiz(small_bank)
    question = QuestionFactory(objective=small_bank.objectives.first(), choices=WRONG_KEY)
    for _ in range(n):
        take(quiz, UserFactory(), {question: _single("Number of staff")})
    _fix_key(question)
    # session, user, the user's and the groups' permissions (the admin's check), the question,
    # its live choices, the finished slots with attempts, quizzes and users, the attempts' credits
    with django_assert_num_queries(8):
        page = instructor_client.get(f"/admin/quizzes/question/{question.pk}/regrade/")
    assert page.status_code == 200 and page.text.count("→ passed") == n
