"""The quiz statistics page and its CSV: the cohort's attempts only, thresholds on the page, flat queries."""

import csv
import io

import pytest

from tests.cohorts.helpers import take_quiz
from tests.factories import MembershipFactory, UserFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def answered(cohort, core, questions):
    """Three learners of the cohort took the 5.1 quiz (2 questions): right/right, right/wrong, wrong/wrong,
    and one learner outside the cohort got everything right."""
    quiz = core[0].quiz
    for pattern in ([True, True], [True, False], [False, False]):
        user = UserFactory()
        MembershipFactory(cohort=cohort, user=user)
        take_quiz(user, quiz, correct=pattern)
    take_quiz(UserFactory(), quiz, correct=[True, True])
    return quiz


def test_the_statistics_count_the_cohorts_attempts_only(instructor_client, cohort, answered):
    page = instructor_client.get(f"/cohorts/{cohort.uuid}/quizzes/{answered.slug}/").text

    assert "3 (3 learners; first attempt)" in page  # the learner outside the cohort is not counted
    assert "facility index 95% or more" in page and "discrimination index below 20%" in page
    assert page.count('href="/admin/quizzes/question/') == 4  # edit and regrade for each of 2 questions
    assert page.count("<h1") == 1


def test_the_csv_has_the_pages_numbers(instructor_client, cohort, answered):
    response = instructor_client.get(f"/cohorts/{cohort.uuid}/quizzes/{answered.slug}/statistics.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["question id", "objective", "question", "kind", "attempts", "facility index %"]
    # the three learners' answers: one question right twice (66.7%), the other once (33.3%)
    assert sorted(r[5] for r in rows[1:]) == ["33.3", "66.7"]
    assert all(r[4] == "3" for r in rows[1:])


def test_the_htmx_request_gets_the_report_partial(instructor_client, cohort, answered):
    url = f"/cohorts/{cohort.uuid}/quizzes/{answered.slug}/?attempts=all"

    fragment = instructor_client.get(url, headers=HTMX)

    assert fragment.text.lstrip().startswith('<div id="statistics-report"')
    assert "HX-Request" in fragment["Vary"]


def test_an_unknown_quiz_or_attempt_choice(instructor_client, cohort, answered):
    assert instructor_client.get(f"/cohorts/{cohort.uuid}/quizzes/no-such-quiz/").status_code == 404
    page = instructor_client.get(f"/cohorts/{cohort.uuid}/quizzes/{answered.slug}/?attempts=nonsense")
    assert page.status_code == 200 and "first attempt" in page.text


@pytest.mark.parametrize("n", [1, 50])
def test_statistics_query_count_is_flat(instructor_client, cohort, core, questions, django_assert_num_queries, n):
    for _ in range(n):
        user = UserFactory()
        MembershipFactory(cohort=cohort, user=user)
        take_quiz(user, core[0].quiz, correct=[True, False])
    url = f"/cohorts/{cohort.uuid}/quizzes/{core[0].quiz.slug}/"
    # session, user, the Instructors group test, the cohort, the course quizzes, the attempts' questions
    with django_assert_num_queries(6):
        assert instructor_client.get(url).status_code == 200
    with django_assert_num_queries(6):
        assert instructor_client.get(url + "statistics.csv").status_code == 200


def test_the_statistics_count_learners_confidently_wrong_per_question(instructor_client, cohort, core, questions):
    from quizzes.services.attempts import attempt_answer, attempt_start, attempt_submit
    from tests.quizzes.helpers import answer

    quiz = core[0].quiz
    quiz.ask_certainty = True
    quiz.save()
    for certainty in (3, 3, 1):  # two learners wrong while very sure, one wrong while not sure
        user = UserFactory()
        MembershipFactory(cohort=cohort, user=user)
        attempt = attempt_start(user=user, quiz=quiz)
        for slot in attempt.slots.all():
            attempt_answer(attempt=attempt, position=slot.position, response=answer(slot.snapshot, False),
                           certainty=certainty)  # fmt: skip
        attempt_submit(attempt=attempt)

    rows = list(csv.reader(io.StringIO(
        instructor_client.get(f"/cohorts/{cohort.uuid}/quizzes/{quiz.slug}/statistics.csv").content.decode()
    )))  # fmt: skip

    column = rows[0].index("confidently wrong (learners)")
    assert [r[column] for r in rows[1:]] == ["2", "2"]
