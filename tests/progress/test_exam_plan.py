"""The exam plan in the portal: its settings, the study queue following it, the dashboard, after the exam."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from content.models import Objective
from portal.models import User
from progress import selectors
from progress.services import review_record
from tests.progress.helpers import course_cards, review_history


def plan_for(user):
    user.refresh_from_db()
    objective_ids = list(selectors.cards().values_list("pk", flat=True))
    return selectors.study_plan(user=user, now=timezone.now(), objective_ids=objective_ids)


def codes(pks):
    return [Objective.objects.get(pk=pk).code for pk in pks]


def set_plan(user, *, days, budget=2, target=90, unit="cards"):
    user.exam_date = timezone.now().date() + timedelta(days=days)
    user.daily_budget, user.recall_target, user.budget_unit = budget, target, unit
    user.save()


def shown_card(client, url="/study/"):
    return re.search(r'<h2 id="card-heading"[^>]*>([\d.]+) ', client.get(url).text).group(1)


# Settings


def test_the_exam_date_target_and_budget_are_saved_from_the_dashboard(learner_client, learner, deck):
    exam = timezone.now().date() + timedelta(days=20)
    data = {"exam_date": exam.isoformat(), "recall_target": "85", "daily_budget": "15", "budget_unit": "minutes"}

    response = learner_client.post("/exam-date/", data)

    learner.refresh_from_db()
    assert response.status_code == 302
    assert (learner.exam_date, learner.recall_target, learner.daily_budget, learner.budget_unit) == (
        exam, 85, 15, "minutes"
    )  # fmt: skip


def test_the_settings_page_saves_the_plan_too(learner_client, learner, deck):
    data = {"time_zone": "UTC", "daily_new_cards": "10", "exam_date": "", "recall_target": "70", "daily_budget": "9",
            "budget_unit": "cards"}  # fmt: skip

    assert learner_client.post("/settings/", data).status_code == 302
    learner.refresh_from_db()
    assert (learner.recall_target, learner.daily_budget) == (70, 9)
    assert "Recall target (%)" in learner_client.get("/settings/").text


@pytest.mark.parametrize("url", ["/exam-date/", "/settings/"])
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("exam_date", "2020-01-01", "That date has passed"),
        ("recall_target", "49", "Choose a recall target from 50% to 99%."),
        ("recall_target", "100", "Choose a recall target from 50% to 99%."),
        ("recall_target", "ninety", "Choose a recall target from 50% to 99%."),
        ("daily_budget", "0", "Set a daily budget of at least 1"),
        ("budget_unit", "hours", "Select a valid choice"),
    ],
)
def test_bad_plan_settings_get_a_clear_message_a_400_and_save_nothing(learner_client, learner, deck, url, field,
                                                                       value, message):  # fmt: skip
    exam = (timezone.now().date() + timedelta(days=9)).isoformat()
    data = {"time_zone": "UTC", "daily_new_cards": "10", "recall_target": "80", "daily_budget": "30",
            "budget_unit": "cards", "exam_date": exam, field: value}  # fmt: skip

    response = learner_client.post(url, data)

    assert response.status_code == 400
    assert message in response.text
    assert f'value="{value}"' in response.text or field == "budget_unit"  # what was typed is shown again
    learner.refresh_from_db()
    assert (learner.exam_date, learner.recall_target, learner.daily_budget) == (None, 90, 20)


def test_a_form_without_the_plan_fields_keeps_them(learner_client, learner, deck):
    set_plan(learner, days=5, budget=7, target=80)

    learner_client.post("/exam-date/", {"exam_date": (timezone.now().date() + timedelta(days=8)).isoformat()})

    learner.refresh_from_db()
    assert (learner.recall_target, learner.daily_budget) == (80, 7)


def test_a_budget_in_minutes_becomes_cards_at_the_learners_own_pace(learner, deck):
    set_plan(learner, days=10, budget=2, unit="minutes")
    assert selectors.plan_budget_cards(user=learner) == 6  # 20 seconds a card before any timed review
    for objective in deck[:5]:
        review_record(user=learner, objective=objective, source="flashcard", confidence=3, duration_ms=10_000)

    assert selectors.plan_budget_cards(user=learner) == 12


# Study follows the plan


def test_study_serves_todays_planned_cards_before_the_due_ones(learner_client, learner, deck):
    review_record(
        user=learner, objective=deck[0], source="flashcard", confidence=1, now=timezone.now() - timedelta(days=2)
    )  # fmt: skip  (due again now)
    assert shown_card(learner_client) == "5.1.1"  # no plan: the due card first

    set_plan(learner, days=10, budget=2)
    planned = codes(plan_for(learner).today)

    assert len(planned) == 2 and "5.1.1" not in planned
    assert shown_card(learner_client) == planned[0]
    assert "2 planned for today by your exam plan" in learner_client.get("/study/").text
    assert shown_card(learner_client, "/study/5.2/") == next((c for c in planned if c.startswith("5.2.")), "5.2.1")


def test_the_plan_is_worked_out_again_after_each_review(learner_client, learner, deck):
    review_record(user=learner, objective=deck[0], source="flashcard", confidence=1,
                  now=timezone.now() - timedelta(days=2))  # fmt: skip
    set_plan(learner, days=10, budget=2)
    first, second = codes(plan_for(learner).today)

    learner_client.post("/study/rate/", {"code": first, "confidence": "4"})

    assert codes(plan_for(learner).today) == [second]  # the budget counts today's reviews
    assert shown_card(learner_client) == second
    learner_client.post("/study/rate/", {"code": second, "confidence": "4"})
    assert plan_for(learner).today == []
    assert shown_card(learner_client) == "5.1.1"  # today's plan done: then anything due
    assert "0 planned for today" in learner_client.get("/study/").text


def test_after_the_exam_ordinary_scheduling_returns_and_the_dashboard_asks_how_it_went(learner_client, learner, deck):
    review_record(user=learner, objective=deck[0], source="flashcard", confidence=1,
                  now=timezone.now() - timedelta(days=3))  # fmt: skip
    set_plan(learner, days=-1)

    assert plan_for(learner) is None
    page = learner_client.get("/study/").text
    assert "planned" not in page
    assert shown_card(learner_client) == "5.1.1"
    dashboard = learner_client.get("/").text
    assert "How did your exam go?" in dashboard and "Your exam plan" not in dashboard

    bad = learner_client.post("/exam-outcome/", {"exam_outcome": "aced it"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.text
    assert learner_client.post("/exam-outcome/", {"exam_outcome": "passed"}).status_code == 302

    learner.refresh_from_db()
    assert learner.exam_outcome == User.ExamOutcome.PASSED
    assert "How did your exam go?" not in learner_client.get("/").text
    learner_client.post("/exam-date/", {"exam_date": (timezone.now().date() + timedelta(days=30)).isoformat()})
    learner.refresh_from_db()
    assert learner.exam_outcome == ""  # a new exam: the answer was about the previous one


def test_the_exam_outcome_is_refused_before_the_exam_date_has_passed(learner_client, learner, deck):
    assert learner_client.post("/exam-outcome/", {"exam_outcome": "passed"}).status_code == 409  # no date
    set_plan(learner, days=0)  # the exam is today
    response = learner_client.post("/exam-outcome/", {"exam_outcome": "passed"})

    assert response.status_code == 409 and "no past exam" in response.text
    learner.refresh_from_db()
    assert learner.exam_outcome == ""


def test_an_exam_beyond_the_plan_s_horizon_is_said_so_not_called_out_of_reach(learner_client, learner, deck):
    set_plan(learner, days=200, budget=1, target=99)

    section = learner_client.get("/").text.split('id="exam-plan"')[1].split("</section>")[0]

    assert "more than 120 days away" in section
    assert "cannot reach the target" not in section and "No daily budget" not in section


# The dashboard


def test_the_dashboard_shows_the_plan_in_words_a_chart_and_a_table(learner_client, learner, deck):
    review_record(user=learner, objective=deck[0], source="flashcard", confidence=4,
                  now=timezone.now() - timedelta(days=2))  # fmt: skip
    set_plan(learner, days=20, budget=3, target=90)
    plan = plan_for(learner)

    page = learner_client.get("/").text
    section = page.split('id="exam-plan"')[1].split("</section>")[0]

    assert "The plan gives you up to <strong>3 cards a day</strong>" in section
    assert (
        f"Following the plan, you would recall about <strong>{round(100 * sum(plan.predicted.values()) / 6)}%"
        in section
    )
    assert f"without more study, about <strong>{round(100 * sum(plan.without.values()) / 6)}%" in section
    assert "Every objective reaches your target of 90%" in section
    today = section.split("Today's planned cards")[1].split("</ol>")[0]
    assert re.findall(r"<li><a [^>]*>([\d.]+) ", today) == codes(plan.today)
    assert "Study now" in section
    assert section.count("<rect ") == 4 + 20  # two prediction bars on their tracks, one bar a day
    day_rows = section.split("The plan day by day")[1].split("</tbody>")[0]
    assert day_rows.count('<th scope="row">') == 20 and '<th scope="row">Today</th><td>3</td>' in day_rows
    assert "Modules with the lowest predicted recall on exam day" in section


def test_the_dashboard_says_when_the_budget_cannot_reach_the_target(learner_client, learner, deck):
    set_plan(learner, days=5, budget=1, target=90)  # five reviews for six new cards: one is never seen
    plan = plan_for(learner)
    assert not plan.meets_target and plan.needed_budget is not None

    section = learner_client.get("/").text.split('id="exam-plan"')[1].split("</section>")[0]

    meeting = sum(1 for r in plan.predicted.values() if r >= 0.9)
    assert "Your budget cannot reach the target." in section
    assert f"At best, {meeting} of the 6 objectives reach 90%, the weakest at 0%" in section
    assert f"A budget of <strong>{plan.needed_budget} cards a day</strong> would meet the target." in section


def test_a_learner_who_set_minutes_is_told_the_budget_needed_in_minutes(learner_client, learner, deck):
    set_plan(learner, days=1, budget=1, unit="minutes")  # 1 minute: 3 cards at 20 s a card (no timed reviews)
    plan = plan_for(learner)
    assert plan.budget == 3 and not plan.meets_target and plan.needed_budget is not None

    section = learner_client.get("/").text.split('id="exam-plan"')[1].split("</section>")[0]

    minutes = -(-plan.needed_budget // 3)  # 20 s a card
    assert (
        f"A budget of about <strong>{minutes} minutes a day</strong> ({plan.needed_budget} cards at your pace)"
        in section
    )


@pytest.mark.parametrize(("unit", "queries"), [("cards", 10), ("minutes", 11)])
@pytest.mark.parametrize("cards", [1, 78])
def test_dashboard_with_a_plan_query_count_is_flat(learner_client, learner, django_assert_num_queries, cards, unit,
                                                   queries):  # fmt: skip
    review_history(learner, course_cards(cards), 200)
    set_plan(learner, days=30, budget=20, unit=unit)

    # session, user, courses, modules, cards with their studied marks, card states (as numbers, with the FSRS
    # cards the plan reads), open confident mistakes, calibration, review days, latest results; with a
    # budget in minutes, the learner's review durations
    with django_assert_num_queries(queries):
        page = learner_client.get("/").text
    assert "Your exam plan" in page


@pytest.mark.parametrize("cards", [1, 78])
def test_study_page_with_a_plan_query_count_is_flat(learner_client, learner, django_assert_num_queries, cards):
    review_history(learner, course_cards(cards), 200)
    set_plan(learner, days=30, budget=20)

    # session, user, the course, cards, card states (as numbers, with the FSRS cards the plan reads), open
    # confident mistakes, the card shown
    with django_assert_num_queries(7):
        page = learner_client.get("/study/").text
    assert "planned for today by your exam plan" in page
