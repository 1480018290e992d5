"""axe-core on the admin pages an instructor uses for the bank (light), and the login page and search
results (dark); the question form fits 1280 px and shows the answer columns of its kind."""

import pytest
from playwright.sync_api import expect

from quizzes.models import Question, Quiz
from tests.e2e.helpers import assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WIDE = {"width": 1280, "height": 900}
# Django's tabular inline template has an empty header cell above its "original" column (the saved
# row's name); filling it means forking admin/edit_inline/tabular.html. Only that rule, only there.
EMPTY_ORIGINAL_HEADER = ("empty-table-header", "thead > tr > .original")


@pytest.fixture
def admin_page(browser, base_url, course_and_bank):
    # A superuser: the transactional flush of an earlier browser test may have removed the Instructors group.
    UserFactory(email="teacher@example.com", is_staff=True, is_superuser=True)
    context = browser.new_context(base_url=base_url, viewport=WIDE, color_scheme="light")
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/")
    page.fill("input[name=username]", "teacher@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    yield page
    context.close()


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"], page.url


def test_question_add_and_change_pages_are_accessible_and_fit(admin_page):
    page = admin_page
    question = Question.objects.filter(kind=Question.Kind.SINGLE).first()

    page.goto("/admin/quizzes/question/add/")
    fits(page)
    assert_accessible(page, target_size=True, allow=(EMPTY_ORIGINAL_HEADER,))
    expect(page.get_by_role("combobox", name="Objective:")).to_be_visible()  # the select2 picker is named

    page.goto(f"/admin/quizzes/question/{question.pk}/change/")
    fits(page)
    assert_accessible(page, target_size=True, allow=(EMPTY_ORIGINAL_HEADER,))
    expect(page.get_by_label("Text, answer 1", exact=True)).to_be_visible()


def test_the_answer_columns_follow_the_kind(admin_page):
    page = admin_page
    matching = Question.objects.filter(kind=Question.Kind.MATCHING).first()

    page.goto(f"/admin/quizzes/question/{matching.pk}/change/")
    expect(page.locator("#choices-group th.column-match_text")).to_be_visible()
    expect(page.locator("#choices-group th.column-correct")).to_be_hidden()

    page.goto("/admin/quizzes/question/add/")
    expect(page.locator("#choices-group th.column-match_text")).to_be_hidden()  # a single answer to start
    expect(page.locator("#choices-group th.column-fraction")).to_be_hidden()
    page.select_option("select[name=kind]", "multiple")
    expect(page.locator("#choices-group th.column-fraction")).to_be_visible()
    page.select_option("select[name=kind]", "ordering")
    expect(page.locator("#choices-group th.column-order")).to_be_visible()
    expect(page.locator("#choices-group th.column-correct")).to_be_hidden()
    fits(page)


def test_question_list_quiz_page_and_preview_are_accessible(admin_page):
    page = admin_page
    question = Question.objects.filter(kind=Question.Kind.SINGLE).first()

    page.goto("/admin/quizzes/question/?kind__exact=single")
    expect(page.locator("#changelist-filter")).to_be_visible()
    assert_accessible(page, target_size=True)

    page.goto(f"/admin/quizzes/quiz/{Quiz.objects.filter(owner=None).first().pk}/change/")
    expect(page.get_by_label("Opens at: time")).to_be_visible()
    assert_accessible(page, target_size=True)

    page.goto(f"/admin/quizzes/question/{question.pk}/preview/")
    expect(page.locator("link[href$='css/site.css']")).to_have_count(1)  # the learner's stylesheet
    options = page.locator(".question-card label.option")
    assert options.count() >= 2
    first, second = options.nth(0).bounding_box(), options.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"]  # one option a line, as a learner sees them
    assert_accessible(page, target_size=True)


def test_login_and_search_results_in_dark_mode(browser, base_url, course):
    context = browser.new_context(base_url=base_url, color_scheme="dark")
    page = context.new_page()

    page.goto("/accounts/login/")
    forgot = page.get_by_role("link", name="Forgot your password?")
    assert forgot.bounding_box()["height"] >= 24
    assert_accessible(page, target_size=True)

    log_in(page, "dark@example.com")
    page.goto("/search/?q=escalation")
    expect(page.locator(".search-hits a mark").first).to_be_visible()  # marks inside links, 4.5:1
    assert_accessible(page, target_size=True)
    context.close()


def test_search_results_marks_in_light_mode(page, base_url, course):
    log_in(page, "light@example.com")
    page.goto("/search/?q=escalate")
    expect(page.locator(".search-hits a mark").first).to_be_visible()
    assert_accessible(page, target_size=True)


def test_every_kind_of_question_fits_a_phone(admin_page):
    """The question as a learner sees it (the preview renders the quiz's own template and stylesheet) at
    360 px, for each kind: the one with the longest choices and answers, the likeliest to overflow (a
    match's select was as wide as its longest answer, and its fieldset as wide as the select)."""
    page = admin_page
    page.set_viewport_size({"width": 360, "height": 740})
    for kind in Question.Kind.values:
        question = max(
            Question.objects.filter(kind=kind).prefetch_related("choices"),
            key=lambda q: max((len(c.text) + len(c.match_text) for c in q.choices.all()), default=0),
            default=None,
        )
        if question is None:
            continue
        page.goto(f"/admin/quizzes/question/{question.pk}/preview/")
        expect(page.locator(".question-card")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 361, f"{kind} question {question.pk} is {width} px wide at 360 px"
