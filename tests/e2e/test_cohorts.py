"""Cohorts in a real browser (issue 10, part 5): an instructor creates a cohort with the keyboard, a
learner joins through its link, studies and takes a quiz, and the instructor reads the reports;
axe-core on every page. Then the reports without JavaScript, and at a phone's width."""

import csv
import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cohorts.models import Cohort, Membership
from content.models import Objective
from progress.models import ReviewEvent
from quizzes.models import Attempt, Quiz
from tests.cohorts.helpers import take_quiz
from tests.e2e.helpers import assert_accessible, keyboard_open, tab_to
from tests.e2e.test_quiz import keyboard_answer
from tests.factories import PASSWORD, CardStateFactory, CohortFactory, MembershipFactory, UserFactory
from tests.mail import verification_code

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LEARNER = "learner@example.com"  # sorts before IDLE by e-mail
IDLE = "zoe.idle@example.com"  # joined, never studied: flagged inactive


def make_instructor(email: str = "teacher@example.com"):
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Instructors")[0])  # gone after a transactional test
    return user


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def learner_rows(page) -> list[str]:
    return page.locator("#overview-table tbody th[scope=row]").all_inner_texts()


def header(page, name: str):
    """The overview's column header whose sort link is named `name` (and ▲ or ▼ when it is the sorted one)."""
    link = page.get_by_role("link", name=re.compile(rf"^{re.escape(name)}( [▲▼])?$"))
    return page.locator("#overview-table thead th").filter(has=link)


def test_cohort_from_creation_to_reports_with_the_keyboard(page, browser, base_url, course_and_bank):
    Quiz.objects.filter(slug="module-5-13").update(question_count=2)
    make_instructor()

    # 1. The instructor creates a cohort with the keyboard alone and reads its join link.
    sign_in(page, "teacher@example.com")
    keyboard_open(page, "nav a[href='/cohorts/']", "Your cohorts")
    expect(page.locator("main table")).to_contain_text("No cohort yet")
    tab_to(page, "input[name=name]")
    page.keyboard.type("Evening class")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evening class")
    cohort = Cohort.objects.get()
    expect(page.locator("#messages")).to_contain_text(f"Its join code is {cohort.join_code}.")
    join_link = page.locator(".join-link").inner_text()
    assert join_link == f"{base_url}/join/{cohort.join_code}/"
    expect(page.locator("#overview-table")).to_contain_text("No learner has joined yet")
    assert_accessible(page)
    overview_url = page.url

    # 2. A learner opens the link anonymously, signs up, comes back, joins, studies a card, takes 5.13's quiz.
    context = browser.new_context(base_url=base_url)
    learner = context.new_page()
    learner.goto(join_link)
    expect(learner.get_by_role("heading", level=1)).to_have_text("Join the cohort Evening class")
    assert_accessible(learner)
    tab_to(learner, "main a:has-text('Sign up')")
    learner.keyboard.press("Enter")
    expect(learner).to_have_url(re.compile("/accounts/signup/"))
    assert_accessible(learner)
    tab_to(learner, "input[name=email]")
    learner.keyboard.type(LEARNER)
    tab_to(learner, "input[name=password1]")
    learner.keyboard.type(PASSWORD)
    tab_to(learner, "input[name=password2]")
    learner.keyboard.type(PASSWORD)
    learner.keyboard.press("Enter")
    expect(learner).to_have_url(re.compile("/accounts/confirm-email/"))  # the mailed code verifies the address
    tab_to(learner, "input[name=code]")
    learner.keyboard.type(verification_code(LEARNER))
    learner.keyboard.press("Enter")
    expect(learner).to_have_url(join_link)  # back on the join page, signed in, not yet a member
    expect(learner.get_by_role("heading", level=1)).to_have_text("Join the cohort Evening class")
    assert not Membership.objects.exists()  # a GET never joins
    assert_accessible(learner)
    keyboard_open(learner, "main button:has-text('Join Evening class')", "Your cohorts")
    expect(learner.locator("#messages")).to_contain_text("You joined Evening class.")
    expect(learner.locator(".cohort-list")).to_contain_text("Evening class")
    membership = Membership.objects.get(cohort=cohort, user__email=LEARNER, state="active")

    keyboard_open(learner, "nav a[href='/study/']", re.compile("^Study: "))
    card = learner.locator("#card-heading")
    expect(card).to_be_focused()
    studied = card.inner_text()
    learner.keyboard.press("Space")
    expect(learner.get_by_text("How well did you know this?")).to_be_visible()
    assert_accessible(learner)
    learner.keyboard.press("4")
    expect(card).not_to_have_text(studied)
    expect(learner.locator("#messages")).to_contain_text("rated 4.")
    assert ReviewEvent.objects.filter(user=membership.user, source="flashcard", confidence=4).count() == 1

    keyboard_open(learner, "nav a[href='/quizzes/']", "Quizzes")
    keyboard_open(learner, "a[href='/quizzes/module-5-13/']", "5.13 Escalation: module quiz")
    tab_to(learner, "button:has-text('Start the attempt')")
    learner.keyboard.press("Enter")
    expect(learner.get_by_role("heading", name="Question 1 of 2")).to_be_visible()
    attempt = Attempt.objects.get()
    for slot in attempt.slots.order_by("position"):
        expect(learner.get_by_role("heading", name=f"Question {slot.position} of 2")).to_be_visible()
        keyboard_answer(learner, slot.snapshot, correct=slot.position == 1)
        tab_to(learner, "button:has-text('Check answer')")
        learner.keyboard.press("Enter")
        expect(learner.locator(".feedback")).to_be_focused()
        tab_to(learner, "button[name=go][value=next], button[name=go][value=summary]")
        learner.keyboard.press("Enter")
    expect(learner.get_by_role("heading", level=1)).to_have_text("Review before submitting")
    keyboard_open(learner, "button:has-text('Submit all and finish')", re.compile("Result: 50%"))
    context.close()
    MembershipFactory(cohort=cohort, user=UserFactory(email=IDLE))  # a second learner, who never studied

    # 3. The instructor sorts, filters, opens the learner, the quiz statistics and the CSV.
    page.goto(overview_url)
    expect(page.locator("#overview-table")).to_contain_text("2 active learners.")
    assert learner_rows(page) == [LEARNER, IDLE]
    row = page.locator("#overview-table tbody tr").filter(has_text=LEARNER)
    expect(row.locator("td").nth(0)).to_have_text("none")  # no flag: active today, no exam date
    expect(row.locator("td").nth(1)).not_to_have_text("never")
    quiz_column = 5 + 2 * 12 + 1  # learner + 4 fixed columns, then mastery/quiz per module 5.1–5.16
    expect(page.locator("#overview-table thead tr").nth(1).locator("th").nth(2 * 12 + 1)).to_have_text("5.13 Quiz")
    expect(row.locator("th, td").nth(quiz_column)).to_have_text("50%")
    expect(page.locator("#overview-table tbody tr").filter(has_text=IDLE)).to_contain_text("inactive")
    expect(header(page, "Learner")).to_have_attribute("aria-sort", "ascending")
    assert_accessible(page)

    tab_to(page, "#overview-table thead a:has-text('Learner')")
    page.keyboard.press("Enter")  # htmx swaps the table and pushes the URL
    expect(header(page, "Learner")).to_have_attribute("aria-sort", "descending")
    expect(page).to_have_url(re.compile(r"\?sort=learner&dir=desc$"))
    assert learner_rows(page) == [IDLE, LEARNER]
    expect(page.locator("#sort-learner")).to_be_focused()  # the swap keeps the focus on the link
    assert_accessible(page)

    tab_to(page, "input[name=flagged]")
    page.keyboard.press("Space")
    expect(page.locator("input[name=flagged]")).to_be_checked()
    tab_to(page, "main button:has-text('Show')")
    page.keyboard.press("Enter")
    expect(page.locator("#overview-table")).to_contain_text("1 flagged of 2 learners.")
    expect(page.locator("#overview-show")).to_be_focused()  # the swap keeps the focus on the button
    expect(page).to_have_url(re.compile(r"flagged=1"))
    assert learner_rows(page) == [IDLE]
    expect(header(page, "Learner")).to_have_attribute("aria-sort", "descending")  # the sort is kept
    assert_accessible(page)

    page.goto(overview_url)
    keyboard_open(page, f"#overview-table tbody a:has-text('{LEARNER}')", LEARNER)
    modules = page.get_by_role("region", name="Modules")
    module_row = modules.locator("tbody tr").filter(has_text="5.13 Escalation")
    reviews = ReviewEvent.objects.filter(user=membership.user, objective__module__code="5.13").count()
    assert reviews == 2  # the two quiz answers
    expect(module_row.locator("td")).to_have_text([re.compile(r"^\d+%$"), str(reviews), "50%", "1"])
    expect(page.get_by_role("region", name="Quiz attempts")).to_contain_text("50% (not passed)")
    expect(page.locator(".facts")).to_contain_text("none")  # flags

    keyboard_open(page, "nav.breadcrumb a:has-text('Evening class')", "Evening class")
    keyboard_open(page, "main a[href$='/quizzes/module-5-13/']", "Quiz statistics: 5.13 Escalation: module quiz")
    expect(page.locator("#statistics-report .facts")).to_contain_text("1 (1 learner; first attempt)")
    expect(page.locator("#statistics-report .facts")).to_contain_text("0.500")
    expect(page.locator("#statistics-report tbody tr")).to_have_count(2)

    keyboard_open(page, "nav.breadcrumb a:has-text('Evening class')", "Evening class", check=False)
    tab_to(page, "#overview-table a:has-text('Download this table as CSV')")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename == f"cohort-{cohort.uuid}-overview.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["Learner"] for r in table] == [LEARNER, IDLE, "Average"]
    assert table[0]["Flags"] == "" and table[0]["5.13 best quiz %"] == "50" and table[0]["Last activity"]
    assert table[1]["Flags"] == "inactive" and table[1]["5.13 best quiz %"] == ""
    assert table[2]["5.13 best quiz %"] == "50"


@pytest.fixture
def cohort(course_and_bank):
    """An instructor's cohort: LEARNER reviewed a card of 5.13.1 and scored 50% at 5.13's quiz; IDLE never studied."""
    quiz = Quiz.objects.get(slug="module-5-13")
    quiz.question_count = 2
    quiz.save()
    cohort = CohortFactory(name="Evening class", instructors=[make_instructor()])
    learner = UserFactory(email=LEARNER)
    MembershipFactory(cohort=cohort, user=learner)
    MembershipFactory(cohort=cohort, user=UserFactory(email=IDLE))
    CardStateFactory(user=learner, objective=Objective.objects.get(code="5.13.1"), confidence=4)
    take_quiz(learner, quiz, correct=[True, False])
    return cohort


def test_the_reports_work_without_javascript(browser, base_url, cohort):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "teacher@example.com")

    page.goto(f"/cohorts/{cohort.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evening class")
    assert learner_rows(page) == [LEARNER, IDLE]
    page.locator("#overview-table thead").get_by_role("link", name=re.compile("^Learner")).click()
    expect(page).to_have_url(re.compile(r"\?sort=learner&dir=desc$"))
    expect(header(page, "Learner")).to_have_attribute("aria-sort", "descending")
    assert learner_rows(page) == [IDLE, LEARNER]
    page.locator("#overview-table thead").get_by_role("link", name=re.compile("^5.13 Quiz")).click()
    expect(header(page, "5.13 Quiz")).to_have_attribute("aria-sort", "ascending")
    assert learner_rows(page) == [LEARNER, IDLE]  # no quiz sorts last
    expect(page.locator("#overview-table tbody tr").first).to_contain_text("50%")

    page.check("input[name=flagged]")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"flagged=1"))
    expect(page.locator("#overview-table")).to_contain_text("1 flagged of 2 learners.")
    assert learner_rows(page) == [IDLE]
    expect(page.locator("#overview-table tbody tr")).to_contain_text("inactive")

    page.goto(f"/cohorts/{cohort.uuid}/")
    page.locator("#overview-table tbody").get_by_role("link", name=LEARNER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LEARNER)
    module_row = page.get_by_role("region", name="Modules").locator("tbody tr").filter(has_text="5.13 Escalation")
    expect(module_row.locator("td")).to_have_text([re.compile(r"^[1-9]\d*%$"), "3", "50%", "1"])
    expect(page.get_by_role("region", name="Quiz attempts")).to_contain_text("50% (not passed)")
    context.close()


def test_the_reports_fit_a_phone_screen(browser, base_url, cohort):
    context = browser.new_context(base_url=base_url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, "teacher@example.com")
    member = cohort.memberships.get(user__email=LEARNER)
    for url in [
        f"/cohorts/{cohort.uuid}/",
        f"/cohorts/{cohort.uuid}/learners/{member.uuid}/",
        f"/cohorts/{cohort.uuid}/quizzes/module-5-13/",
        "/cohorts/",
    ]:
        page.goto(url)
        expect(page.locator("main table").first).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360 + 1, f"{url} scrolls sideways: {width}px wide at 360px"
    page.goto(f"/cohorts/{cohort.uuid}/")  # the table scrolls inside its region instead
    region = page.locator("#overview-table .table-scroll")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    context.close()
