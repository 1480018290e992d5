"""The quiz statistics report selector (docs/item-statistics.md: "The report of a quiz")."""

from decimal import Decimal

import pytest

from quizzes.grading import correct_response
from quizzes.models import Question
from quizzes.selectors import quiz_statistics_report, random_guess_score
from quizzes.services.bank import question_snapshot
from quizzes.statistics import TOO_EASY
from tests.factories import QuestionFactory, UserFactory
from tests.quizzes.helpers import choice_key, make_quiz, take

pytestmark = pytest.mark.django_db

RIGHT_ORDER = ["Identify", "Log", "Categorize", "Prioritize"]


def single(text):
    return lambda s: {"choice": choice_key(s, text)}


def order(*texts):
    return lambda s: {"order": [choice_key(s, t) for t in texts]}


@pytest.fixture
def case(small_bank):
    """Four learners (and one outside the group) at a quiz of three questions, answers chosen so that
    the credits are known: S single answer, T true/false, O ordering.

        learner  attempt   S        T      O                                        credits
        L1       1         right    True   right                                    1, 1, 1
        L1       2         Uptime   False  reversed                                 0, 0, 0
        L2       1         Uptime   True   reversed                                 0, 1, 0
        L2       2         right    True   right                                    1, 1, 1
        L3       1         right    False  Log, Identify, Categorize, Prioritize    1, 0, 1/3
        L4       1         Resp.    False  right                                    0, 0, 1
        L5       1         right    True   right  (not in the group)                1, 1, 1
    """
    quiz = make_quiz(small_bank)
    s, t, o = (Question.objects.get(idnumber=i) for i in ("s-1", "t-1", "o-1"))
    users = [UserFactory(email=f"l{i}@example.com") for i in range(1, 6)]
    right = {s: single("Number of staff"), t: single("True"), o: order(*RIGHT_ORDER)}
    wrong = {s: single("Uptime"), t: single("False"), o: order(*reversed(RIGHT_ORDER))}
    take(quiz, users[0], right)
    take(quiz, users[0], wrong, number=2)
    take(quiz, users[1], {s: single("Uptime"), t: single("True"), o: order(*reversed(RIGHT_ORDER))})
    take(quiz, users[1], right, number=2)
    swapped = order("Log", "Identify", "Categorize", "Prioritize")
    take(quiz, users[2], {s: single("Number of staff"), t: single("False"), o: swapped})
    take(quiz, users[3], {s: single("Response time"), t: single("False"), o: order(*RIGHT_ORDER)})
    take(quiz, users[4], right)
    return {"quiz": quiz, "s": s, "t": t, "o": o, "group": [u.pk for u in users[:4]]}


def _shares(row):
    return {option.text: option.share for option in row.options}


def test_first_attempts_by_hand(case):
    report = quiz_statistics_report(quiz=case["quiz"], user_ids=case["group"])

    assert (report.which, report.learners, report.attempts) == ("first", 4, 4)
    s, t, o = (report.question(case[k].pk) for k in "sto")
    # Facility: the mean credit. S: (1 + 0 + 1 + 0) / 4; T: (1 + 1 + 0 + 0) / 4; O: (1 + 0 + 0.3333 + 1) / 4.
    assert s.stats.facility == pytest.approx(0.5)
    assert t.stats.facility == pytest.approx(0.5)
    assert o.stats.facility == pytest.approx(2.3333 / 4)
    assert [x.stats.attempts for x in (s, t, o)] == [4, 4, 4]
    # Who chose which option, out of the 4 attempts.
    assert _shares(s) == {"Number of staff": 0.5, "Response time": 0.25, "Uptime": 0.25}
    assert {x.text: x.fraction for x in s.options}["Number of staff"] == Decimal(1)
    assert _shares(t) == {"True": 0.5, "False": 0.5}
    # Who placed each item in its own position: L1 and L4 all four; L2 (reversed) none; L3 the last two.
    assert _shares(o) == {"Identify": 0.5, "Log": 0.5, "Categorize": 0.75, "Prioritize": 0.75}
    assert all(x.fraction is None for x in o.options)
    # Guessing: 1 of 3 options, true/false a half, ordering has no standard guess score.
    assert (s.stats.random_guess_score, t.stats.random_guess_score) == (pytest.approx(1 / 3), 0.5)
    assert o.stats.random_guess_score is None
    # The test: totals 3, 1, 1.3333, 1 (the sum of the credits, i.e. score × questions).
    assert report.stats.mean == pytest.approx(6.3333 / 4)
    assert report.stats.max_total == 3
    assert report.mean_score == pytest.approx((1 + 0.3333 + 0.4444 + 0.3333) / 4)
    assert (s.objective_code, s.title, s.stem, s.kind) == ("9.1.1", case["s"].title, case["s"].stem, "single")


def test_last_best_and_all_choose_other_attempts(case):
    def facilities(which):
        report = quiz_statistics_report(quiz=case["quiz"], user_ids=case["group"], which=which)
        return report.attempts, [report.question(case[k].pk).stats.facility for k in "st"]

    # last: L1's second (0, 0), L2's second (1, 1), L3 (1, 0), L4 (0, 0).
    assert facilities("last") == (4, [pytest.approx(2 / 4), pytest.approx(1 / 4)])
    # best: L1's first (1, 1), L2's second (1, 1), L3 (1, 0), L4 (0, 0).
    assert facilities("best") == (4, [pytest.approx(3 / 4), pytest.approx(2 / 4)])
    # all six: S 1, 0, 0, 1, 1, 0; T 1, 0, 1, 1, 0, 0.
    assert facilities("all") == (6, [pytest.approx(3 / 6), pytest.approx(3 / 6)])
    with pytest.raises(ValueError):
        quiz_statistics_report(quiz=case["quiz"], user_ids=case["group"], which="median")


def test_learners_outside_the_group_are_not_counted(case):
    everyone = quiz_statistics_report(quiz=case["quiz"], user_ids=[*case["group"], case["group"][-1] + 1])
    assert (everyone.learners, everyone.attempts) == (5, 5)
    assert everyone.question(case["s"].pk).stats.facility == pytest.approx(3 / 5)
    two = quiz_statistics_report(quiz=case["quiz"], user_ids=case["group"][:2])
    assert (two.learners, two.attempts) == (2, 2)
    assert two.question(case["s"].pk).stats.facility == pytest.approx(1 / 2)
    nobody = quiz_statistics_report(quiz=case["quiz"], user_ids=[])
    assert (nobody.attempts, nobody.questions, nobody.mean_score) == (0, (), None)


def test_questions_are_keyed_by_id_over_the_attempts_that_had_them(small_bank):
    quiz = make_quiz(small_bank)
    s, x = Question.objects.get(idnumber="s-1"), Question.objects.get(idnumber="x-1")
    users = [UserFactory() for _ in range(3)]

    def all_pairs_right(snapshot):
        answer = {a["match_text"]: a["key"] for a in snapshot["answers"]}
        return {"pairs": {c["key"]: answer[c["match_text"]] for c in snapshot["choices"] if c["text"]}}

    take(quiz, users[0], {x: all_pairs_right, s: single("Uptime")})
    take(quiz, users[1], {s: single("Number of staff")})
    take(quiz, users[2], {s: single("Number of staff")})

    report = quiz_statistics_report(quiz=quiz, user_ids=[u.pk for u in users])

    matching = report.question(x.pk)
    assert (matching.stats.attempts, matching.stats.facility) == (1, 1.0)
    assert TOO_EASY in matching.flags
    assert _shares(matching) == {"Functional": 1.0, "Hierarchical": 1.0, "Number of types": 1.0}
    assert matching.stats.random_guess_score == pytest.approx(1 / 4)  # four answers, one a distractor
    assert report.question(s.pk).stats.attempts == 3


def test_random_guess_score_of_a_multiple_response_question(small_bank):
    # Two right options of four: Moodle's (OU multiple response) definition, right / all.
    snapshot = {"kind": "multiple", "choices": [{"fraction": f} for f in ("0.5", "0.5", "-0.5", "-0.5")]}
    assert random_guess_score(snapshot) == 0.5
    weighted = QuestionFactory(kind=Question.Kind.SINGLE)  # one right option out of three
    assert random_guess_score(question_snapshot(weighted)) == pytest.approx(1 / 3)


@pytest.mark.parametrize("n", [1, 50])
def test_the_report_takes_one_query(small_bank, django_assert_num_queries, n):
    quiz = make_quiz(small_bank)
    questions = list(Question.objects.filter(objective__module=small_bank))
    right = dict.fromkeys(questions, correct_response)
    users = [UserFactory() for _ in range(n)]
    for user in users:
        take(quiz, user, right)
    with django_assert_num_queries(1):
        report = quiz_statistics_report(quiz=quiz, user_ids=[u.pk for u in users], which="best")
    assert report.attempts == n and len(report.questions) == len(questions)
