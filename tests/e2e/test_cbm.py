"""A practice quiz with "How sure are you?" in a real browser: keyboard alone with axe, and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from content.models import Objective
from portal.models import User
from progress.services import review_record
from quizzes.models import Attempt
from tests.e2e.helpers import assert_accessible, click_right_answer, log_in, tab_to
from tests.e2e.test_quiz import keyboard_answer

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _with_a_weak_card(email):
    review_record(user=User.objects.get(email=email), objective=Objective.objects.get(code="5.13.1"),
                  source="flashcard", confidence=1)  # fmt: skip


def test_a_practice_quiz_with_certainty_by_keyboard(page, base_url, course_and_bank):
    log_in(page, "sure@example.com")
    _with_a_weak_card("sure@example.com")
    page.goto("/")
    tab_to(page, "button[aria-label='Practice quiz on 5.13.1']", limit=150)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Question 1 of"))).to_be_visible()
    attempt = Attempt.objects.get()
    assert attempt.ask_certainty
    assert_accessible(page)

    snapshot = attempt.slots.get(position=1).snapshot
    keyboard_answer(page, snapshot, correct=False)
    tab_to(page, "input[name=certainty]")  # the radio group is one Tab stop; arrows pick the level
    page.keyboard.press("Space")
    for _ in range(3):
        if page.locator("input[name=certainty][value='3']").is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator("input[name=certainty][value='3']")).to_be_checked()
    tab_to(page, "button[name=go][value=check]")
    page.keyboard.press("Enter")

    feedback = page.locator(".feedback")
    expect(feedback).to_be_focused()
    expect(feedback).to_contain_text("C3 very sure")
    expect(feedback).to_contain_text("a confident mistake")
    assert attempt.slots.get(position=1).certainty == 3
    assert_accessible(page)


def test_a_practice_quiz_with_certainty_without_javascript(browser, base_url, course_and_bank):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "nojs.sure@example.com")
    _with_a_weak_card("nojs.sure@example.com")
    page.goto("/")
    page.get_by_role("button", name="Practice quiz on 5.13.1").click()
    attempt = Attempt.objects.get()
    slot = attempt.slots.get(position=1)

    page.click("button[name=go][value=check]")  # no answer and no certainty: a clear message, nothing saved
    expect(page.locator("#messages")).to_contain_text("Not saved yet")
    click_right_answer(page, slot.snapshot)
    page.check("input[name=certainty][value='2']")
    page.click("button[name=go][value=check]")

    expect(page.locator(".feedback")).to_contain_text("C2 fairly sure")
    slot.refresh_from_db()
    assert (slot.certainty, slot.credit) == (2, 1)
    context.close()
