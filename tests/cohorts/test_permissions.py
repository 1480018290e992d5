"""Who may open each cohort URL: anonymous, a learner, a learner of the cohort, its instructor, another
cohort's instructor, a superuser (CONVENTIONS.md: the standard cast)."""

import pytest

from tests.cohorts.helpers import take_quiz
from tests.factories import AttemptFactory

ROLES = ["anonymous", "learner", "member", "instructor", "other_instructor", "superuser"]


@pytest.fixture
def cast(learner, other_learner, instructor, other_instructor, superuser):
    return {
        "anonymous": None,
        "learner": other_learner,
        "member": learner,
        "instructor": instructor,
        "other_instructor": other_instructor,
        "superuser": superuser,
    }


@pytest.fixture
def attempt(membership, core, questions):
    return take_quiz(membership.user, core[0].quiz, correct=[True, False])


@pytest.fixture
def urls(cohort, membership, other_cohort, attempt):
    base = f"/cohorts/{cohort.uuid}"
    learner = f"{base}/learners/{membership.uuid}"
    return {
        "list": ("get", "/cohorts/"),
        "overview": ("get", f"{base}/"),
        "overview-htmx": ("htmx", f"{base}/?sort=learner&dir=desc"),
        "csv": ("get", f"{base}/overview.csv"),
        "learner": ("get", f"{learner}/"),
        "attempt": ("get", f"{learner}/attempts/{attempt.uuid}/"),
        "statistics": ("get", f"{base}/quizzes/{attempt.quiz.slug}/"),
        "statistics-csv": ("get", f"{base}/quizzes/{attempt.quiz.slug}/statistics.csv"),
        "create": ("post", "/cohorts/", {"name": "New cohort"}),
        "settings": ("post", f"{base}/settings/", {"name": "Renamed", "inactive_days": 7, "mastery_threshold": 50}),
        "code": ("post", f"{base}/code/", {}),
        "remove": ("post", f"{learner}/remove/", {}),
        "restore": ("post", f"{learner}/restore/", {}),
    }


# Expected statuses per URL: anonymous, learner, member, instructor, other instructor, superuser.
# A learner is refused (403); another instructor's cohort does not exist for them (404); the
# instructor list is every instructor's own (an empty list for the other instructor).
EXPECTED = {
    "list": [302, 403, 403, 200, 200, 200],
    "overview": [302, 403, 403, 200, 404, 200],
    "overview-htmx": [200, 403, 403, 200, 404, 200],  # anonymous htmx: HX-Redirect to the login page, 200
    "csv": [302, 403, 403, 200, 404, 200],
    "learner": [302, 403, 403, 200, 404, 200],
    "attempt": [302, 403, 403, 200, 404, 200],
    "statistics": [302, 403, 403, 200, 404, 200],
    "statistics-csv": [302, 403, 403, 200, 404, 200],
    "create": [302, 403, 403, 302, 302, 302],
    "settings": [302, 403, 403, 302, 404, 302],
    "code": [302, 403, 403, 302, 404, 302],
    "remove": [302, 403, 403, 302, 404, 302],
    "restore": [302, 403, 403, 302, 404, 302],
}


@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_each_cohort_url_answers_each_role_as_expected(client, cast, urls, name, role):
    user = cast[role]
    if user is not None:
        client.force_login(user)
    method, url, *data = urls[name]

    if method == "post":
        response = client.post(url, data[0])
    elif method == "htmx":
        response = client.get(url, headers={"HX-Request": "true"})
    else:
        response = client.get(url)

    assert response.status_code == EXPECTED[name][ROLES.index(role)], (name, role)
    if role == "anonymous":
        target = response.get("HX-Redirect") or response["Location"]
        assert target.startswith("/accounts/login/?next=")


def test_a_learner_page_of_another_cohort_is_not_found_even_for_an_instructor(instructor_client, cohort, other_cohort):
    from tests.factories import MembershipFactory

    stranger = MembershipFactory(cohort=other_cohort)

    response = instructor_client.get(f"/cohorts/{cohort.uuid}/learners/{stranger.uuid}/")

    assert response.status_code == 404


def test_an_attempt_of_someone_else_is_not_found_through_a_membership(instructor_client, cohort, membership, core):
    other = AttemptFactory(quiz=core[0].quiz, finished=True)

    response = instructor_client.get(f"/cohorts/{cohort.uuid}/learners/{membership.uuid}/attempts/{other.uuid}/")

    assert response.status_code == 404


def test_a_bad_uuid_is_not_found(instructor_client, cohort):
    assert instructor_client.get("/cohorts/not-a-uuid/").status_code == 404
    assert instructor_client.get(f"/cohorts/{cohort.uuid}/learners/nope/").status_code == 404


def test_the_admin_lists_cohorts_for_a_superuser_only(client, superuser, instructor, cohort):
    client.force_login(instructor)
    assert client.get("/admin/cohorts/cohort/").status_code == 403
    client.force_login(superuser)
    assert client.get("/admin/cohorts/cohort/").status_code == 200
    assert client.get(f"/admin/cohorts/cohort/{cohort.pk}/change/").status_code == 200
    assert client.get("/admin/cohorts/membership/").status_code == 200
