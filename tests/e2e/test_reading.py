"""A learner's reading flow in a real browser, with the keyboard alone, and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from content.models import StudiedObjective
from portal.models import User
from tests.e2e.helpers import assert_accessible, keyboard_open, tab_to
from tests.factories import PASSWORD, UserFactory
from tests.mail import verification_code

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_learner_signs_up_reads_searches_and_marks_studied_with_the_keyboard(page, base_url, course):
    page.goto("/")
    assert_accessible(page)

    # Sign up
    tab_to(page, "main a[href='/accounts/signup/']")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/accounts/signup/"))
    assert_accessible(page)
    tab_to(page, "input[name=email]")
    page.keyboard.type("keyboard@example.com")
    tab_to(page, "input[name=password1]")
    page.keyboard.type(PASSWORD)
    tab_to(page, "input[name=password2]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    # The address is verified by the code mailed to it, typed on the next page.
    expect(page).to_have_url(re.compile("/accounts/confirm-email/"))
    assert_accessible(page)
    tab_to(page, "input[name=code]")
    page.keyboard.type(verification_code("keyboard@example.com"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    assert User.objects.filter(email="keyboard@example.com").exists()
    assert_accessible(page)

    # Log out, then log in again
    tab_to(page, "button:has-text('Log out')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Learn the support-center course")
    keyboard_open(page, "a[href='/accounts/login/']", "Sign In")
    tab_to(page, "input[name=login]")
    page.keyboard.type("keyboard@example.com")
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")

    # Course, then module 5.13
    keyboard_open(page, "a[href='/courses/process-and-procedures/']", "5.0 Process and Procedures")
    keyboard_open(page, "a[href='/modules/5.13/']", "5.13 Escalation")

    # Read 5.13.1
    keyboard_open(page, "#objective-5131 h2 a", "5.13.1 Describe escalation")
    expect(page.locator(".note")).to_contain_text("Functional escalation")
    expect(page.locator(".note")).to_contain_text("Hierarchical escalation")

    # Search for "escalation"
    tab_to(page, "#nav-search-q")
    page.keyboard.type("escalation")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2, name=re.compile("results? for “escalation”"))).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
    assert_accessible(page)

    # Open the hit and mark it studied (htmx swaps the form in place)
    keyboard_open(page, "#search-results a[href='/objectives/5.13.1/']", "5.13.1 Describe escalation", check=False)
    tab_to(page, "button:has-text('Mark as studied')")
    page.keyboard.press("Enter")
    expect(page.locator(".studied-form .badge-done")).to_have_text("✓ Studied")
    expect(page.locator("#messages")).to_contain_text("5.13.1 marked as studied.")
    expect(page.get_by_role("button", name="Mark 5.13.1 as not studied")).to_be_focused()
    assert page.url.endswith("/objectives/5.13.1/")  # no page load
    assert StudiedObjective.objects.filter(user__email="keyboard@example.com", objective__code="5.13.1").exists()
    assert_accessible(page)


def test_reading_flow_works_without_javascript(browser, base_url, course):
    UserFactory(email="nojs@example.com")
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()

    page.goto("/accounts/login/")
    page.fill("input[name=login]", "nojs@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")

    page.goto("/modules/5.13/")
    page.click("#objective-5131 h2 a")
    expect(page.get_by_role("heading", level=1)).to_have_text("5.13.1 Describe escalation")
    expect(page.locator(".note")).to_contain_text("Functional escalation")

    page.fill("#nav-search-q", "escalation")
    page.press("#nav-search-q", "Enter")
    expect(page.get_by_role("heading", level=2, name=re.compile("results? for “escalation”"))).to_be_visible()

    page.goto("/modules/5.13/")
    page.get_by_role("button", name="Mark 5.13.2 as studied").click()
    expect(page).to_have_url(re.compile(r"/modules/5\.13/#objective-5132$"))
    expect(page.locator("#messages")).to_contain_text("5.13.2 marked as studied.")
    expect(page.get_by_role("button", name="Mark 5.13.2 as not studied")).to_be_visible()
    assert StudiedObjective.objects.filter(user__email="nojs@example.com", objective__code="5.13.2").exists()
    context.close()


def test_the_accessibility_check_catches_a_violation(page):
    page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")

    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
