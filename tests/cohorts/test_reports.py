"""The reports' numbers, flags, sorting, filter, CSV and query counts (docs/reports.md)."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts.models import Membership
from cohorts.selectors import cohort_overview
from content.models import Objective
from portal.http import csv_cell
from progress.models import CardState
from progress.selectors import dashboard
from progress.services import review_record, review_undo, reviews_record
from tests.cohorts.helpers import take_quiz
from tests.factories import AttemptFactory, CardStateFactory, MembershipFactory, UserFactory

HTMX = {"HX-Request": "true"}


def _row(cohort, user):
    overview = cohort_overview(cohort=cohort, now=timezone.now())
    return next(r for r in overview.rows if r.user == user)


def _review(user, code, *, confidence=3, days_ago=0):
    review_record(
        user=user,
        objective=Objective.objects.get(code=code),
        source="flashcard",
        confidence=confidence,
        now=timezone.now() - timedelta(days=days_ago),
    )


# Flags


def test_a_learner_who_failed_the_same_module_quiz_twice_is_stuck(cohort, membership, core, questions):
    take_quiz(membership.user, core[0].quiz, correct=[False, False])
    take_quiz(membership.user, core[0].quiz, correct=[True, False])  # 50% < pass mark 70

    row = _row(cohort, membership.user)

    assert row.stuck_modules == [core[0]]
    assert row.cells[0].fails == 2 and row.cells[0].best_quiz == 50


def test_failing_two_different_quizzes_once_each_is_not_stuck(cohort, membership, core, questions):
    take_quiz(membership.user, core[0].quiz, correct=[False, False])
    take_quiz(membership.user, core[1].quiz, correct=[False, False])

    assert not _row(cohort, membership.user).stuck


def test_low_mastery_after_five_reviews_of_a_module_is_stuck_and_after_four_is_not(cohort, membership, core):
    for _ in range(4):
        _review(membership.user, "5.1.1", confidence=1, days_ago=60)
    assert not _row(cohort, membership.user).stuck

    _review(membership.user, "5.1.2", confidence=1, days_ago=60)
    row = _row(cohort, membership.user)

    assert row.cells[0].reviews == 5 and row.cells[0].mastery < cohort.mastery_threshold
    assert row.stuck_modules == [core[0]]


def test_high_mastery_after_many_reviews_is_not_stuck(cohort, membership, core):
    for days_ago in (60, 40, 20, 0):
        for code in ["5.1.1", "5.1.2"]:
            _review(membership.user, code, confidence=5, days_ago=days_ago)

    row = _row(cohort, membership.user)

    assert row.cells[0].mastery >= 90 and not row.stuck


def test_inactive_8_days_with_inactive_days_7_is_inactive_and_1_day_is_not(cohort, core):
    idle, busy = UserFactory(), UserFactory()
    MembershipFactory(cohort=cohort, user=idle)
    MembershipFactory(cohort=cohort, user=busy)
    CardStateFactory(
        user=idle, objective=Objective.objects.get(code="5.1.1"), reviewed_at=timezone.now() - timedelta(days=8)
    )
    AttemptFactory(quiz=core[0].quiz, user=busy, started_at=timezone.now() - timedelta(days=1))

    assert cohort.inactive_days == 7
    # read as seconds (EpochSeconds): exact on PostgreSQL, to about 50 µs on SQLite
    assert abs(_row(cohort, idle).last_activity - idle.review_events.get().reviewed_at) < timedelta(milliseconds=1)
    assert _row(cohort, idle).inactive
    assert not _row(cohort, busy).inactive
    assert _row(cohort, busy).last_activity == _row(cohort, busy).membership.user.attempts.get().started_at


def test_a_learner_with_no_activity_ever_is_inactive(cohort, membership, core):
    assert _row(cohort, membership.user).last_activity is None
    assert _row(cohort, membership.user).inactive


def test_readiness_below_the_final_pass_mark_with_an_exam_date_is_at_risk(cohort, membership, core):
    learner = membership.user
    assert not _row(cohort, learner).at_risk  # no exam date: no readiness, no risk

    learner.exam_date = date.today() + timedelta(days=10)
    learner.save()

    row = _row(cohort, learner)
    assert row.readiness == 0 and row.at_risk


def test_readiness_at_or_above_the_pass_mark_is_not_at_risk(cohort, membership, core):
    learner = membership.user
    learner.exam_date = timezone.localdate()
    learner.save()
    for code in ["5.1.1", "5.1.2", "5.2.1", "5.2.2"]:
        _review(learner, code, confidence=5)

    row = _row(cohort, learner)

    assert row.readiness >= 70 and not row.at_risk


def test_mastery_and_readiness_are_the_dashboards(cohort, membership, core):
    learner = membership.user
    learner.exam_date = timezone.localdate() + timedelta(days=3)
    learner.save()
    _review(learner, "5.1.1", confidence=4, days_ago=2)
    _review(learner, "5.2.2", confidence=2, days_ago=1)
    now = timezone.now()

    mine = dashboard(user=learner, now=now)
    row = next(r for r in cohort_overview(cohort=cohort, now=now).rows if r.user == learner)

    assert [c.mastery for c in row.cells] == [m["mastery"] for m in mine["modules"]]
    assert row.readiness == mine["readiness"]["percent"]


def test_best_quiz_is_the_highest_finished_score_and_ignores_an_attempt_in_progress(
    cohort, membership, core, questions
):
    from quizzes.services.attempts import attempt_start

    take_quiz(membership.user, core[0].quiz, correct=[True, False])
    take_quiz(membership.user, core[0].quiz, correct=[True, True])
    take_quiz(membership.user, core[0].quiz, correct=[False, False])
    attempt_start(user=membership.user, quiz=core[1].quiz)

    row = _row(cohort, membership.user)

    assert [c.best_quiz for c in row.cells] == [100, None]


def test_reviews_and_last_activity_count_the_ratings_that_stand(cohort, membership, core):
    """Undone ratings and the undos do not count (docs/reports.md), flashcards and quiz answers do."""
    learner = membership.user
    now = timezone.now()
    _review(learner, "5.1.1", days_ago=3)
    _review(learner, "5.1.2", days_ago=2)
    reviews_record(
        user=learner, reviews=[(Objective.objects.get(code="5.2.1"), Decimal(1), now - timedelta(days=1), 2)]
    )
    review_record(user=learner, objective=Objective.objects.get(code="5.2.2"), source="flashcard", confidence=4)
    review_undo(user=learner)  # the rating of 5.2.2: its card has no review left

    row = _row(cohort, learner)

    assert [c.reviews for c in row.cells] == [2, 1]
    assert abs(row.last_activity - (now - timedelta(days=1))) < timedelta(milliseconds=1)  # seconds on SQLite
    mine = dashboard(user=learner, now=timezone.now())
    assert row.due_now == mine["due_now"] == 3  # three cards left, each reviewed once
    assert [c.mastery for c in row.cells] == [m["mastery"] for m in mine["modules"]]


def test_the_overview_and_its_csv_read_card_states_not_the_review_log(instructor_client, cohort, three):
    """The per-module numbers come from the card states (one row per learner and card), not from
    scanning the cohort's review events (about 200 a learner) on every request."""
    for url in [f"/cohorts/{cohort.uuid}/", f"/cohorts/{cohort.uuid}/overview.csv"]:
        with CaptureQueriesContext(connection) as queries:
            response = instructor_client.get(url)

        assert response.status_code == 200
        assert [q["sql"] for q in queries if "progress_reviewevent" in q["sql"]] == []


# The overview's row as its template rendered it, before the rows were built in Python
# (cohorts.presentation.overview_rows): the page must not change.
TEMPLATE_ROW = """{% load cohort_tags %}<th scope="row"><a href="{{ row.url }}">{{ row.user.email }}</a></th>
      <td>{% if row.inactive %}<span class="flag">inactive</span> {% endif %}{% if row.stuck %}<span class="flag">stuck: {% for m in row.stuck_modules %}{{ m.code }}{% if not forloop.last %}, {% endif %}{% endfor %}</span> {% endif %}{% if row.at_risk %}<span class="flag">at risk</span>{% endif %}{% if not row.flagged %}none{% endif %}</td>
      <td>{% if row.last_activity %}<time datetime="{{ row.last_activity|date:"Y-m-d\\TH:i:sO" }}">{{ row.last_activity|date:"j M Y" }}</time>{% else %}never{% endif %}</td>
      <td>{% if row.exam_date %}{{ row.exam_date|date:"j M Y" }}{% else %}not set{% endif %}</td>
      <td class="{{ row.readiness|level }}">{% if row.readiness is None %}—<span class="visually-hidden"> no exam date</span>{% else %}{{ row.readiness }}%{% endif %}</td>
      {% for c in row.cells %}<td class="num {{ c.mastery|level }}">{{ c.mastery }}%</td><td class="num {{ c.best_quiz|level }}">{% if c.best_quiz is None %}—<span class="visually-hidden"> not taken</span>{% else %}{{ c.best_quiz }}%{% endif %}</td>{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns", "Asia/Kathmandu"])
def test_the_rows_built_in_python_are_the_templates_rows(cohort, core, questions, zone):
    from django.template import engines

    from cohorts.presentation import overview_rows

    paris = ZoneInfo("Europe/Paris")
    odd = UserFactory(email="o'brien+<b>&co@example.com", exam_date=date.today() + timedelta(days=9))
    fold = UserFactory(email="fold@example.com", exam_date=date(2026, 10, 25))
    idle = UserFactory(email="idle@example.com")
    for user in (odd, fold, idle):
        MembershipFactory(cohort=cohort, user=user)
    _review(odd, "5.1.1", confidence=1, days_ago=1)
    for _ in range(2):
        take_quiz(odd, core[0].quiz, correct=[False, False])
    take_quiz(odd, core[1].quiz, correct=[True, False])
    at = datetime(2026, 10, 25, 2, 30, tzinfo=paris)  # the hour Paris lives twice
    for moment in (at, at.replace(fold=1)):
        review_record(
            user=fold, objective=Objective.objects.get(code="5.2.1"), source="flashcard", confidence=5, now=moment
        )
    template = engines["django"].from_string(TEMPLATE_ROW)

    with timezone.override(ZoneInfo(zone)):
        overview = cohort_overview(cohort=cohort, now=timezone.now())
        overview_rows(overview=overview)
        for row in overview.rows:
            row.url = re.search(r'href="([^"]+)"', row.html).group(1)
            assert row.html == template.render({"row": row})
    assert {r.user.email: r.flagged for r in overview.rows} == {odd.email: True, fold.email: True, idle.email: True}
    assert "&lt;b&gt;&amp;co" in overview.rows[0].html or "&lt;b&gt;&amp;co" in overview.rows[-1].html


def test_learners_who_left_or_were_removed_are_not_in_the_overview(instructor_client, cohort, core):
    gone = MembershipFactory(cohort=cohort, state=Membership.State.LEFT)
    removed = MembershipFactory(cohort=cohort, state=Membership.State.REMOVED)

    page = instructor_client.get(f"/cohorts/{cohort.uuid}/").text

    assert gone.user.email not in page and removed.user.email not in page
    assert "0 active learners." in page


# The page: sorting, filter, htmx


@pytest.fixture
def three(cohort, core):
    """Three learners with known mastery of 5.1: a (none), b (high), c (low, long ago)."""
    users = [UserFactory(email=f"{name}@example.com") for name in "abc"]
    for user in users:
        MembershipFactory(cohort=cohort, user=user)
    for days_ago in (60, 30, 0):  # b: one card of the two mastered (stable for months)
        _review(users[1], "5.1.1", confidence=5, days_ago=days_ago)
    _review(users[2], "5.1.1", confidence=2, days_ago=20)  # c: one hard review, long ago
    return users


def _learners(html):
    return re.findall(r'<th scope="row"><a href="/cohorts/[^"]+">([^<]+)</a></th>', html)


def test_the_overview_sorts_by_any_column_server_side(instructor_client, cohort, three):
    url = f"/cohorts/{cohort.uuid}/"

    default = instructor_client.get(url).text
    by_mastery = instructor_client.get(url + "?sort=mastery-5.1&dir=desc").text
    by_mastery_asc = instructor_client.get(url + "?sort=mastery-5.1&dir=asc").text
    by_learner_desc = instructor_client.get(url + "?sort=learner&dir=desc").text
    unknown = instructor_client.get(url + "?sort=nonsense&dir=sideways").text

    assert _learners(default) == ["a@example.com", "b@example.com", "c@example.com"]
    assert _learners(by_mastery) == ["b@example.com", "c@example.com", "a@example.com"]
    assert _learners(by_mastery_asc) == ["a@example.com", "c@example.com", "b@example.com"]
    assert _learners(by_learner_desc) == ["c@example.com", "b@example.com", "a@example.com"]
    assert _learners(unknown) == _learners(default)
    assert by_mastery.count("aria-sort=") == 1 and 'aria-sort="descending"' in by_mastery
    assert 'href="?sort=mastery-5.1&amp;dir=asc"' in by_mastery  # the header's link turns the order round


def test_empty_values_sort_last_in_both_directions(instructor_client, cohort, three, questions, core):
    take_quiz(three[2], core[0].quiz, correct=[True, False])
    take_quiz(three[1], core[0].quiz, correct=[True, True])
    url = f"/cohorts/{cohort.uuid}/?sort=quiz-5.1&dir="

    assert _learners(instructor_client.get(url + "asc").text) == ["c@example.com", "b@example.com", "a@example.com"]
    assert _learners(instructor_client.get(url + "desc").text) == ["b@example.com", "c@example.com", "a@example.com"]


def test_the_flagged_filter_shows_only_flagged_learners(instructor_client, cohort, three):
    url = f"/cohorts/{cohort.uuid}/"

    everyone = instructor_client.get(url).text
    flagged = instructor_client.get(url + "?flagged=1").text

    assert _learners(everyone) == ["a@example.com", "b@example.com", "c@example.com"]
    assert _learners(flagged) == ["a@example.com", "c@example.com"]  # inactive: a never, c 20 days ago
    assert "2 flagged of 3 learners." in flagged


def test_sort_and_filter_answer_htmx_with_the_table_partial_and_a_browser_with_the_page(
    instructor_client, cohort, three
):
    url = f"/cohorts/{cohort.uuid}/?sort=mastery-5.1&dir=desc&flagged=1"

    page = instructor_client.get(url)
    fragment = instructor_client.get(url, headers=HTMX)

    assert "<header" in page.text and page.text.count("<h1") == 1
    assert "<header" not in fragment.text and "<h1" not in fragment.text
    assert fragment.text.lstrip().startswith('<div id="overview-table"')
    assert _learners(fragment.text) == _learners(page.text) == ["c@example.com", "a@example.com"]
    assert "HX-Request" in page["Vary"] and "HX-Request" in fragment["Vary"]


def test_every_cell_prints_its_number_and_its_colour_class(instructor_client, cohort, three):
    html = instructor_client.get(f"/cohorts/{cohort.uuid}/?sort=learner").text

    cells = re.findall(r'<td class="num (level-\w+)">([^<]*)', html)
    assert cells and all(text.strip() for _, text in cells)
    assert ("level-mid", "50%") in cells  # b recalls one of the two cards of 5.1 (50–79%: mid)
    assert ("level-low", "0%") in cells and ("level-none", "—") in cells
    assert 'role="region"' in html and 'tabindex="0"' in html and "<caption" in html


def test_the_cohort_settings_change_the_flags(instructor_client, cohort, three):
    response = instructor_client.post(
        f"/cohorts/{cohort.uuid}/settings/", {"name": "Renamed", "inactive_days": 30, "mastery_threshold": 50}
    )
    cohort.refresh_from_db()

    assert response.status_code == 302 and cohort.name == "Renamed"
    assert not _row(cohort, three[2]).inactive  # 20 days ago is within 30


def test_invalid_settings_are_a_400_and_change_nothing(instructor_client, cohort):
    response = instructor_client.post(
        f"/cohorts/{cohort.uuid}/settings/", {"name": "", "inactive_days": 0, "mastery_threshold": 101}
    )
    cohort.refresh_from_db()

    assert response.status_code == 400
    assert cohort.name == "Spring cohort"
    assert response.text.count("<h1") == 1


def test_an_instructor_creates_a_cohort_and_sees_it_listed(instructor_client, instructor):
    response = instructor_client.post("/cohorts/", {"name": "Evening class"})
    listing = instructor_client.get("/cohorts/").text

    assert response.status_code == 302
    assert "Evening class" in listing
    assert instructor.instructed_cohorts.get().name == "Evening class"


def test_the_list_shows_size_and_last_activity(instructor_client, cohort, three):
    html = instructor_client.get("/cohorts/").text

    assert re.search(r"Spring cohort</a></th>\s*<td>3</td>", html)
    assert "none yet" not in html


# The learner page and the attempt review


def test_the_learner_page_shows_modules_attempts_due_cards_and_activity(
    instructor_client, cohort, membership, core, questions
):
    attempt = take_quiz(membership.user, core[0].quiz, correct=[True, False])
    _review(membership.user, "5.2.1", confidence=1, days_ago=3)

    html = instructor_client.get(f"/cohorts/{cohort.uuid}/learners/{membership.uuid}/").text

    assert html.count("<h1") == 1
    assert f"/cohorts/{cohort.uuid}/learners/{membership.uuid}/attempts/{attempt.uuid}/" in html
    assert "5.2.1" in html and "overdue since" in html
    assert html.count('class="chart-bar"') == 30
    assert "<svg" in html and "Activity as a table" in html
    assert 'style="' not in html


def test_the_attempt_review_is_read_only_and_shows_the_learners_answers(
    instructor_client, cohort, membership, core, questions
):
    attempt = take_quiz(membership.user, core[0].quiz, correct=[True, False])

    html = instructor_client.get(f"/cohorts/{cohort.uuid}/learners/{membership.uuid}/attempts/{attempt.uuid}/").text

    assert "50%" in html and "Read-only" in html
    assert "✓ correct" in html and "✗ incorrect" in html
    assert "<form" not in html.split("<main", 1)[1]  # nothing to submit


# CSV


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (42, "42"),
        (None, ""),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(value, cell):
    assert csv_cell(value) == cell


def test_the_csv_has_the_pages_numbers_and_escapes_formulas(instructor_client, cohort, three):
    evil = UserFactory(email="=HYPERLINK(1)@example.com")
    MembershipFactory(cohort=cohort, user=evil)

    response = instructor_client.get(f"/cohorts/{cohort.uuid}/overview.csv?sort=learner")
    rows = list(csv.reader(io.StringIO(response.content.decode())))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0][:6] == ["Learner", "Flags", "Last activity", "Exam date", "Readiness %", "Due now"]
    assert rows[0][6:8] == ["5.1 mastery %", "5.1 best quiz %"]
    assert rows[1][0] == "'=HYPERLINK(1)@example.com"
    b = next(r for r in rows if r[0] == "b@example.com")
    assert b[6] == str(_row(cohort, three[1]).cells[0].mastery)
    assert rows[-1][0] == "Average"


def test_the_csv_follows_the_pages_filter(instructor_client, cohort, three):
    rows = list(
        csv.reader(
            io.StringIO(instructor_client.get(f"/cohorts/{cohort.uuid}/overview.csv?flagged=1").content.decode())
        )
    )

    assert [r[0] for r in rows[1:-1]] == ["a@example.com", "c@example.com"]


# Query counts: the same at 1 and 50 learners


@pytest.fixture
def cohort_of(cohort, core):
    def make(n):
        first = None
        objective = Objective.objects.get(code="5.1.1")
        for i in range(n):
            user = UserFactory(exam_date=date.today() + timedelta(days=30))
            m = MembershipFactory(cohort=cohort, user=user)
            first = first or m
            CardStateFactory(user=user, objective=objective)
            AttemptFactory(quiz=core[0].quiz, user=user, finished=True)
            AttemptFactory(quiz=core[1].quiz, user=user, finished=True, started_at=timezone.now() - timedelta(days=i))
        return first

    return make


def test_the_overview_reads_card_states_as_numbers_not_model_instances(instructor_client, cohort, cohort_of):
    cohort_of(20)
    built = []

    def count(sender, **kwargs):
        built.append(sender)

    post_init.connect(count, sender=CardState)
    try:
        response = instructor_client.get(f"/cohorts/{cohort.uuid}/")
    finally:
        post_init.disconnect(count, sender=CardState)

    assert response.status_code == 200
    assert len(response.context["overview"].rows) == 20
    assert built == []


@pytest.mark.parametrize("n", [1, 50])
def test_overview_query_count_is_flat(instructor_client, cohort, cohort_of, django_assert_num_queries, n):
    cohort_of(n)
    # session, user, the Instructors group test, the cohort, the memberships with users, the cards,
    # the card states summed per learner and module, the card states of the learners with an exam
    # date (readiness), module-quiz attempts per module, latest attempt per learner, the final
    # exam's pass mark, the course quizzes (links to their statistics)
    with django_assert_num_queries(12):
        response = instructor_client.get(f"/cohorts/{cohort.uuid}/?sort=readiness")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 50])
def test_overview_partial_query_count_is_flat(instructor_client, cohort, cohort_of, django_assert_num_queries, n):
    cohort_of(n)
    # as the page (the partial needs every number of the table)
    with django_assert_num_queries(12):
        response = instructor_client.get(f"/cohorts/{cohort.uuid}/?flagged=1", headers=HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 50])
def test_csv_query_count_is_flat(instructor_client, cohort, cohort_of, django_assert_num_queries, n):
    cohort_of(n)
    # session, user, the Instructors group test, the cohort, then the overview's seven
    with django_assert_num_queries(11):
        response = instructor_client.get(f"/cohorts/{cohort.uuid}/overview.csv")
    assert len(response.content.decode().splitlines()) == n + 2


@pytest.mark.parametrize("n", [1, 50])
def test_learner_page_query_count_is_flat(instructor_client, cohort, cohort_of, django_assert_num_queries, n):
    member = cohort_of(n)
    # session, user, the Instructors group test, the cohort, the membership with its user, the
    # overview's six for one learner (cards, card states per module, card states for readiness,
    # module-quiz attempts, latest attempt, pass mark), the attempts, the card states with their
    # cards, reviews per day
    with django_assert_num_queries(14):
        response = instructor_client.get(f"/cohorts/{cohort.uuid}/learners/{member.uuid}/")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 50])
def test_cohort_list_query_count_is_flat(
    instructor_client, instructor, cohort, cohort_of, django_assert_num_queries, n
):
    cohort_of(n)
    # session, user, the Instructors group test, the cohorts with size and last activity
    with django_assert_num_queries(4):
        response = instructor_client.get("/cohorts/")
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 50])
def test_my_cohorts_query_count_is_flat(learner_client, learner, django_assert_num_queries, n):
    from tests.factories import CohortFactory

    for _ in range(n):
        MembershipFactory(cohort=CohortFactory(), user=learner)
    # session, user, the memberships with their cohorts
    with django_assert_num_queries(3):
        response = learner_client.get("/my-cohorts/")
    assert response.status_code == 200


def test_every_cohort_page_has_one_h1_no_inline_style_and_the_nav_links(
    instructor_client, cohort, membership, core, questions
):
    attempt = take_quiz(membership.user, core[0].quiz, correct=[True, True])
    learner = f"/cohorts/{cohort.uuid}/learners/{membership.uuid}/"
    for url in ["/cohorts/", f"/cohorts/{cohort.uuid}/", learner, f"{learner}attempts/{attempt.uuid}/", "/my-cohorts/"]:
        html = instructor_client.get(url).text
        assert html.count("<h1") == 1, url
        assert 'style="' not in html and "<script>" not in html, url
        assert 'href="/cohorts/"' in html and 'href="/my-cohorts/"' in html, url


def test_a_learner_sees_my_cohorts_but_not_the_instructor_link(learner_client, learner):
    html = learner_client.get("/my-cohorts/").text

    assert 'href="/my-cohorts/"' in html
    assert 'href="/cohorts/"' not in html
