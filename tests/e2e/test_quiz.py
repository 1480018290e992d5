"""Module 5.13's quiz in a real browser: keyboard alone with axe on every page, and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from quizzes.grading import correct_response
from quizzes.models import Attempt, Quiz
from tests.e2e.helpers import assert_accessible, click_right_answer, keyboard_open, log_in, tab_to

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def keyboard_answer(page, snapshot: dict, correct: bool) -> None:
    """Answer with Tab, Space and typing only."""
    kind, choices, right = snapshot["kind"], snapshot["choices"], correct_response(snapshot)
    if kind in ("single", "truefalse"):
        key = right["choice"] if correct else next(c["key"] for c in choices if c["key"] != right["choice"])
        tab_to(page, "input[name=choice]")  # a radio group is one Tab stop; arrows move within it
        page.keyboard.press("Space")
        for _ in choices:
            if page.locator(f"input[value='{key}']").evaluate("el => el === document.activeElement"):
                break
            page.keyboard.press("ArrowDown")
        expect(page.locator(f"input[value='{key}']")).to_be_checked()
    elif kind == "multiple":
        for key in right["choices"] if correct else [c["key"] for c in choices if c["key"] not in right["choices"]]:
            tab_to(page, f"input[value='{key}']")
            page.keyboard.press("Space")
    elif kind == "matching":
        lefts = [c for c in choices if c["text"]]
        for i, c in enumerate(lefts):
            target = c if correct else lefts[(i + 1) % len(lefts)]
            answer = next(a["key"] for a in snapshot["answers"] if a["match_text"] == target["match_text"])
            keyboard_select(page, f"select[name='pair-{c['key']}']", answer)
    else:
        order = right["order"] if correct else list(reversed(right["order"]))
        for position, key in enumerate(order, start=1):
            keyboard_select(page, f"select[name='position-{key}']", str(position))


def keyboard_select(page, selector: str, value: str) -> None:
    """Tab to a <select> and move to the option with ArrowDown (typeahead is ambiguous for similar texts)."""
    tab_to(page, selector)
    values = page.locator(selector).evaluate("el => [...el.options].map(o => o.value)")
    for _ in range(values.index(value)):
        page.keyboard.press("ArrowDown")
    expect(page.locator(selector)).to_have_value(value)


def test_take_module_5_13_quiz_with_the_keyboard(page, base_url, course_and_bank):
    Quiz.objects.filter(slug="module-5-13").update(question_count=4)
    log_in(page, "quizzer@example.com")

    keyboard_open(page, "a[href='/quizzes/']", "Quizzes")
    keyboard_open(page, "a[href='/quizzes/module-5-13/']", "5.13 Escalation: module quiz")
    tab_to(page, "button:has-text('Start the attempt')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Question 1 of 4")).to_be_visible()
    attempt = Attempt.objects.get()

    for slot in attempt.slots.order_by("position"):
        expect(page.get_by_role("heading", name=f"Question {slot.position} of 4")).to_be_visible()
        assert_accessible(page)
        keyboard_answer(page, slot.snapshot, correct=slot.position != 1)
        tab_to(page, "button:has-text('Check answer')")
        page.keyboard.press("Enter")
        feedback = page.locator(".feedback")
        expect(feedback).to_be_visible()
        expect(feedback).to_be_focused()
        if slot.position == 1:  # the wrong one: feedback and the link to the note
            expect(feedback.get_by_role("heading", level=2)).to_contain_text(re.compile("Incorrect|Partially"))
            expect(feedback.get_by_role("link", name=f"Read the note for {slot.objective.code}")).to_be_visible()
            assert_accessible(page)
        if slot.position == 2:  # reload mid-way: the answers are kept
            page.reload()
            expect(page.locator(".feedback")).to_be_visible()
            expect(page.locator("#attempt-nav")).to_contain_text("2 of 4 answered")
        tab_to(page, "button[name=go][value=next], button[name=go][value=summary]")
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Review before submitting")
    assert_accessible(page)
    keyboard_open(page, "button:has-text('Submit all and finish')", re.compile("Result: "))
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.score < 1
    expect(page.get_by_role("link", name=re.compile("Read the note for"))).to_have_count(1)


def test_take_the_quiz_without_javascript(browser, base_url, course_and_bank):
    Quiz.objects.filter(slug="module-5-13").update(question_count=3, feedback_mode="deferred")
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "nojs.quizzer@example.com")

    page.goto("/quizzes/module-5-13/")
    page.get_by_role("button", name="Start the attempt").click()
    attempt = Attempt.objects.get()
    for slot in attempt.slots.order_by("position"):
        click_right_answer(page, slot.snapshot)
        page.click("button[name=go][value=next], button[name=go][value=summary]")

    expect(page.get_by_role("heading", level=1)).to_have_text("Review before submitting")
    page.get_by_role("button", name="Submit all and finish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Result: 100% · Passed"))
    context.close()


def test_a_question_is_a_skip_link_away_and_focus_follows_what_comes_next(page, base_url, course_and_bank):
    Quiz.objects.filter(slug="module-5-13").update(question_count=2)
    log_in(page, "focus@example.com")
    page.goto("/quizzes/module-5-13/")
    page.get_by_role("button", name="Start the attempt").click()
    expect(page.get_by_role("heading", name="Question 1 of 2")).to_be_visible()
    attempt = Attempt.objects.get()
    snapshot = attempt.slots.get(position=1).snapshot

    page.keyboard.press("Tab")  # the first stop is the skip link to the question
    expect(page.locator(":focus")).to_have_text("Skip to the question")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # … and the next one is the question's first answer control
    assert page.evaluate("document.activeElement.closest('fieldset.options') !== null")

    keyboard_answer(page, snapshot, correct=False)
    tab_to(page, "button[name=go][value=check]")
    page.keyboard.press("Enter")
    expect(page.locator(".feedback")).to_be_focused()  # the feedback is read first …
    for _ in range(3):  # past the note link inside the feedback, and no further
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('button[name=go]')"):
            break
    expect(page.locator(":focus")).to_have_attribute("value", re.compile("next|summary"))  # … then Next
    assert_accessible(page)
