"""Every learner page fits a phone (360 × 740) with no sideways scroll, in light and dark mode."""

import pytest

from portal.models import User
from quizzes.models import Attempt, Quiz
from quizzes.services.attempts import attempt_start
from tests.e2e.helpers import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = [
    "/", "/quizzes/", "/quizzes/module-5-13/", "/study/", "/study/5.13/?reveal=5.13.1",
    "/study/course/support-center-essentials/", "/courses/process-and-procedures/", "/modules/5.10/",
    "/objectives/5.13.1/", "/search/?q=escalation", "/settings/", "/my-cohorts/", "/my-data/",
]  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_learner_page_scrolls_sideways_at_360_px(browser, base_url, course_and_bank, scheme):
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 740}, color_scheme=scheme)
    page = context.new_page()
    log_in(page, f"phone.{scheme}@example.com")

    attempt = attempt_start(
        user=User.objects.get(email=f"phone.{scheme}@example.com"), quiz=Quiz.objects.get(slug="final-exam")
    )
    urls = [*PAGES, f"/attempts/{attempt.uuid}/1/", f"/attempts/{attempt.uuid}/summary/"]

    for url in urls:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 361, f"{url} is {width} px wide at 360 px"
    page.goto("/")
    assert_accessible(page)
    assert Attempt.objects.count() == 1
    context.close()
