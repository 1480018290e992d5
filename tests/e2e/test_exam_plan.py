"""The exam plan in a real browser: set the exam date and budget with the keyboard alone, study today's
planned cards, see the prediction change; axe-core on each page; the same with JavaScript disabled
(where axe-core, itself JavaScript, cannot run)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.models import User
from progress.models import ReviewEvent
from tests.e2e.helpers import assert_accessible, log_in, tab_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def scan(page, *, javascript: bool) -> None:
    """axe-core runs as JavaScript in the page: with JavaScript disabled it cannot run (it hangs), so the
    pages are scanned in the JavaScript run, which renders the same HTML."""
    if javascript:
        assert_accessible(page)


def replace_value(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+a")
    page.keyboard.type(text)


def study_planned_cards_with_the_keyboard(page, count: int, *, javascript: bool) -> None:
    for n in range(count, 0, -1):
        expect(page.locator("#study-card")).to_contain_text(f"{n} planned for today by your exam plan")
        expect(page.locator("#study-card")).to_contain_text("planned for your exam")
        heading = page.locator("#card-heading")
        prompt = heading.inner_text()
        if javascript:
            page.keyboard.press("Space")  # the card has focus: show the answer, then rate it 4
            expect(page.get_by_text("How well did you know this?")).to_be_visible()
            page.keyboard.press("4")
        else:
            tab_to(page, "a:has-text('Show the answer')")
            page.keyboard.press("Enter")
            tab_to(page, "button[data-key='4']")
            page.keyboard.press("Enter")
        expect(heading).not_to_have_text(prompt)


def plan_with_the_keyboard(browser, base_url, email: str, *, javascript: bool) -> None:
    context = browser.new_context(base_url=base_url, locale="en-US", java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, email)
    exam = timezone.now().date() + timedelta(days=20)

    tab_to(page, "#id_exam_date")
    page.keyboard.type(exam.strftime("%m%d%Y"))  # Chromium's date field, en-US: month, day, year
    replace_value(page, "#id_recall_target", "85")
    replace_value(page, "#id_daily_budget", "4")
    tab_to(page, "button:has-text('Save the date and plan')")
    page.keyboard.press("Enter")

    expect(page.locator("#messages")).to_contain_text("Exam date and plan saved.")
    user = User.objects.get(email=email)
    assert (user.exam_date, user.recall_target, user.daily_budget) == (exam, 85, 4)
    plan = page.locator("#exam-plan")
    expect(plan).to_contain_text("The plan gives you up to 4 cards a day")
    prediction = page.locator("#plan-prediction")
    expect(prediction).to_contain_text("without more study, about 0%")
    before = prediction.inner_text()
    expect(plan.locator(".plan-today li")).to_have_count(4)
    scan(page, javascript=javascript)

    tab_to(page, "#exam-plan a:has-text('Study now')", limit=200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Study: 5.0 Process and Procedures")
    scan(page, javascript=javascript)
    study_planned_cards_with_the_keyboard(page, 4, javascript=javascript)
    expect(page.locator("#study-card")).to_contain_text("0 planned for today by your exam plan")
    assert ReviewEvent.objects.filter(user=user).count() == 4

    tab_to(page, "nav a:has-text('Dashboard')", limit=200)
    page.keyboard.press("Enter")
    expect(prediction).not_to_have_text(before)
    expect(prediction).to_contain_text(re.compile(r"without more study, about [1-9]\d*%"))
    expect(page.locator("#exam-plan")).to_contain_text("Nothing more is planned for today.")
    scan(page, javascript=javascript)
    context.close()


def test_plan_for_the_exam_and_study_it_with_the_keyboard(browser, base_url, course):
    plan_with_the_keyboard(browser, base_url, "planner@example.com", javascript=True)


def test_plan_for_the_exam_and_study_it_without_javascript(browser, base_url, course):
    plan_with_the_keyboard(browser, base_url, "planner.nojs@example.com", javascript=False)
