"""Joining with a code or a link, leaving, being removed: each case and its message."""

import re

from cohorts.models import Membership
from tests.factories import MembershipFactory
from tests.mail import verification_code

HTMX = {"HX-Request": "true"}


def _join(client, code):
    return client.post("/my-cohorts/join/", {"code": code})


def test_a_learner_joins_with_the_code_on_their_cohorts_page(learner_client, learner, cohort):
    response = _join(learner_client, cohort.join_code.lower())  # case and spaces do not matter

    assert response.status_code == 302
    assert Membership.objects.get(cohort=cohort, user=learner).state == Membership.State.ACTIVE
    page = learner_client.get(response["Location"]).text
    assert f"You joined {cohort.name}." in page


def test_joining_twice_is_a_409_with_a_clear_message(learner_client, membership, cohort):
    response = _join(learner_client, cohort.join_code)

    assert response.status_code == 409
    assert f"You are already in {cohort.name}." in response.text
    assert Membership.objects.filter(cohort=cohort).count() == 1


def test_a_code_that_matches_nothing_is_a_404_with_a_clear_message(learner_client, cohort):
    response = _join(learner_client, "NOTACODE42")

    assert response.status_code == 404
    assert "That join code does not match any cohort." in response.text


def test_a_regenerated_code_stops_the_old_one_and_link_working(instructor_client, client, learner, cohort):
    old = cohort.join_code
    instructor_client.post(f"/cohorts/{cohort.uuid}/code/")
    cohort.refresh_from_db()
    client.force_login(learner)

    assert cohort.join_code != old
    assert _join(client, old).status_code == 404
    assert client.get(f"/join/{old}/").status_code == 404
    assert client.post(f"/join/{old}/").status_code == 404
    assert _join(client, cohort.join_code).status_code == 302


def test_a_removed_learner_cannot_rejoin_and_is_told_to_ask_an_instructor(learner_client, learner, cohort):
    MembershipFactory(cohort=cohort, user=learner, state=Membership.State.REMOVED)

    response = _join(learner_client, cohort.join_code)

    assert response.status_code == 403
    assert f"An instructor removed you from {cohort.name}; ask them" in response.text
    assert Membership.objects.get(cohort=cohort, user=learner).state == Membership.State.REMOVED


def test_a_learner_who_left_may_rejoin(learner_client, learner, cohort):
    MembershipFactory(cohort=cohort, user=learner, state=Membership.State.LEFT)

    response = learner_client.post(f"/join/{cohort.join_code}/")

    assert response.status_code == 302
    assert Membership.objects.get(cohort=cohort, user=learner).state == Membership.State.ACTIVE


def test_a_learner_leaves_and_the_instructor_no_longer_sees_them(client, learner, instructor, membership, cohort):
    client.force_login(learner)
    response = client.post(f"/my-cohorts/{membership.uuid}/leave/")

    membership.refresh_from_db()
    assert response.status_code == 302
    assert membership.state == Membership.State.LEFT
    client.force_login(instructor)
    assert learner.email not in client.get(f"/cohorts/{cohort.uuid}/").text


def test_a_learner_cannot_leave_someone_elses_membership(client, other_learner, membership):
    client.force_login(other_learner)

    assert client.post(f"/my-cohorts/{membership.uuid}/leave/").status_code == 404


def test_an_instructor_removes_a_learner(instructor_client, membership, cohort):
    response = instructor_client.post(f"/cohorts/{cohort.uuid}/learners/{membership.uuid}/remove/")

    membership.refresh_from_db()
    assert response.status_code == 302
    assert membership.state == Membership.State.REMOVED
    again = instructor_client.post(f"/cohorts/{cohort.uuid}/learners/{membership.uuid}/remove/")
    assert again.status_code == 409


def test_the_join_link_never_joins_on_get(learner_client, learner, cohort):
    response = learner_client.get(f"/join/{cohort.join_code}/")

    assert response.status_code == 200
    assert f"Join {cohort.name}" in response.text
    assert not Membership.objects.filter(user=learner).exists()


def test_an_anonymous_visitor_sees_the_name_and_links_that_come_back(client, cohort):
    url = f"/join/{cohort.join_code}/"

    response = client.get(url)

    assert response.status_code == 200
    assert cohort.name in response.text
    assert f'href="/accounts/login/?next={url}"' in response.text
    assert f'href="/accounts/signup/?next={url}"' in response.text
    assert client.post(url)["Location"] == f"/accounts/login/?next={url}"  # a POST never joins a visitor


def test_a_visitor_signs_up_from_the_join_link_lands_back_and_confirms(client, cohort):
    url = f"/join/{cohort.join_code}/"

    signup = client.post(
        f"/accounts/signup/?next={url}",
        {"email": "new@example.com", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase", "next": url},
    )
    assert signup.status_code == 302 and signup["Location"] == "/accounts/confirm-email/"
    verified = client.post("/accounts/confirm-email/", {"code": verification_code("new@example.com")})
    assert verified.status_code == 302 and verified["Location"] == url
    confirm = client.get(url)
    joined = client.post(url)

    assert 'method="post"' in confirm.text and f"Join {cohort.name}" in confirm.text
    assert joined.status_code == 302
    assert Membership.objects.get(cohort=cohort).user.email == "new@example.com"


def test_a_visitor_logs_in_from_the_join_link_and_lands_back(client, learner, password, cohort):
    url = f"/join/{cohort.join_code}/"

    login = client.post(f"/accounts/login/?next={url}", {"login": learner.email, "password": password, "next": url})

    assert login.status_code == 302 and login["Location"] == url
    assert client.post(url).status_code == 302
    assert Membership.objects.get(cohort=cohort).user == learner


def test_an_htmx_join_error_lands_in_the_status_region(learner_client, membership, cohort):
    response = learner_client.post("/my-cohorts/join/", {"code": cohort.join_code}, headers=HTMX)

    assert response.status_code == 409
    assert response["HX-Retarget"] == "#messages"
    assert re.search(r"You are already in", response.text)


def test_my_cohorts_lists_the_learners_cohorts_with_their_state(learner_client, learner, cohort, other_cohort):
    MembershipFactory(cohort=cohort, user=learner)
    MembershipFactory(cohort=other_cohort, user=learner, state=Membership.State.LEFT)

    page = learner_client.get("/my-cohorts/").text

    assert cohort.name in page and other_cohort.name in page
    assert "you can rejoin with its code" in page
    assert page.count("<h1") == 1
