"""Flashcard study in a real browser: five cards with the keyboard alone, then the dashboard; and without JS."""

import re

import pytest
from playwright.sync_api import expect

from progress.models import CardState, ReviewEvent
from tests.e2e.helpers import assert_accessible, keyboard_open, log_in, tab_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_study_five_cards_with_the_keyboard_and_see_the_dashboard_change(page, base_url, course):
    log_in(page, "student@example.com")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.locator("main")).to_contain_text("0 of 78 cards studied so far")
    assert_accessible(page)

    keyboard_open(page, "main a:has-text('Study now')", "Study: 5.0 Process and Procedures")
    expect(page.locator("#card-heading")).to_be_focused()  # Space works as soon as the page loads
    for n, confidence in enumerate("53412", start=1):
        heading = page.locator("#card-heading")
        prompt = heading.inner_text()
        page.keyboard.press("Space")  # show the answer
        expect(page.get_by_text("How well did you know this?")).to_be_visible()
        expect(heading).to_be_focused()
        expect(page.locator("button[data-key='1']")).to_contain_text("comes back in")
        if n == 1:
            assert_accessible(page)
        page.keyboard.press(confidence)  # rate it; the next card arrives without a page load
        expect(heading).not_to_have_text(prompt)
        expect(page.locator("#messages")).to_contain_text(f"rated {confidence}.")
        expect(heading).to_be_focused()
    assert ReviewEvent.objects.filter(source="flashcard").count() == 5
    assert sorted(ReviewEvent.objects.values_list("confidence", flat=True)) == [1, 2, 3, 4, 5]

    tab_to(page, "nav a:has-text('Dashboard')", limit=120)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("5 of 78 cards studied so far")
    expect(page.locator("main")).to_contain_text("Study streak: 1 day")
    assert_accessible(page)


def test_study_without_javascript(browser, base_url, course):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "nojs.student@example.com")

    page.goto("/study/5.13/")
    expect(page.locator("#card-heading")).to_have_text("5.13.1 Describe escalation")
    page.get_by_role("link", name="Show the answer").click()
    expect(page.locator(".card-back")).to_contain_text("Functional escalation")
    page.get_by_role("button", name=re.compile(r"^4")).click()
    expect(page).to_have_url(re.compile(r"/study/5\.13/$"))
    expect(page.locator("#messages")).to_contain_text("5.13.1 rated 4.")
    expect(page.locator("#card-heading")).to_have_text("5.13.2 Identify when to escalate")
    assert CardState.objects.get(objective__code="5.13.1").reps == 1
    context.close()
