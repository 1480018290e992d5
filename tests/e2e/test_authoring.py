"""An instructor writes the course's own example question in the admin and previews it."""

import re

import pytest
from playwright.sync_api import expect

from content.models import Objective
from quizzes.models import Question
from tests.e2e.helpers import assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
OPTIONS = [
    "Amount of time a customer has to wait before expecting a response",
    "Number of people working the Help Desk",
    "Allowed downtime for the network",
]


def test_instructor_writes_the_sla_not_question_and_previews_it(page, base_url, course):
    # A superuser's rights: a transactional test before this one may have flushed the migrated
    # Instructors group (its permissions are tested in tests/quizzes/test_admin.py).
    UserFactory(email="teacher@example.com", is_staff=True, is_superuser=True)
    objective = Objective.objects.get(code="S.2.7")

    page.goto("/admin/login/?next=/admin/")
    page.fill("input[name=username]", "teacher@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()

    page.goto(f"/admin/quizzes/question/add/?objective={objective.pk}")
    page.select_option("select[name=kind]", "single")
    page.fill("textarea[name=stem]", "Which of the following is NOT usually a part of a Service Agreement?")
    page.fill(
        "textarea[name=explanation]",
        "Objective S.2.7: SLAs specify response times and that the network must be running 99% of the time.",
    )
    for i, text in enumerate(OPTIONS):
        page.fill(f"textarea[name=choices-{i}-text]", text)
    page.check("input[name=choices-1-correct]")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    question = Question.objects.get()
    assert [c.fraction for c in question.choices.all()] == [0, 1, 0]

    page.get_by_role("link", name="Preview as a learner").click()
    expect(page.get_by_text("Choose one answer")).to_be_visible()
    assert "99% of the time" not in page.content()  # no explanation before answering
    assert_accessible(page)
    page.get_by_label("Number of people working the Help Desk").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", name=re.compile("Correct"))).to_be_visible()
    expect(page.locator(".explanation")).to_contain_text("99% of the time")
    assert_accessible(page)
