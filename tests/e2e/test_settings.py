"""The settings page offers the browser's time zone while the learner's is the default (UTC)."""

import pytest
from playwright.sync_api import expect

from portal.models import User
from tests.e2e.helpers import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_browsers_time_zone_is_offered_and_saved(browser, base_url):
    context = browser.new_context(base_url=base_url, timezone_id="America/New_York")
    page = context.new_page()
    log_in(page, "zone@example.com")

    page.goto("/settings/")
    button = page.get_by_role("button", name="Use my browser's time zone (America/New_York)")
    assert_accessible(page)
    button.click()
    expect(page.locator("select[name=time_zone]")).to_have_value("America/New_York")
    expect(page.locator("select[name=time_zone]")).to_be_focused()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Your settings were saved.")).to_be_visible()
    assert User.objects.get(email="zone@example.com").time_zone == "America/New_York"
    expect(page.get_by_role("button", name="Use my browser's time zone")).to_have_count(0)  # no longer UTC
    context.close()


def test_no_offer_when_the_browser_is_on_utc_or_without_javascript(browser, base_url):
    for options in [{"timezone_id": "UTC"}, {"timezone_id": "Europe/Paris", "java_script_enabled": False}]:
        context = browser.new_context(base_url=base_url, **options)
        page = context.new_page()
        log_in(page, f"zone-{len(options)}@example.com")
        page.goto("/settings/")
        expect(page.locator("select[name=time_zone]")).to_have_value("UTC")
        expect(page.get_by_role("button", name="Use my browser's time zone")).to_have_count(0)
        context.close()
