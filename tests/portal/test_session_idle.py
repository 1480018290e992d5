"""Sessions end after DJANGO_SESSION_IDLE_MINUTES without a request (issue 12), with no session write on
most requests. The clock is portal.middleware._now, moved by the tests."""

import pytest
from django.contrib.sessions.models import Session

from portal.middleware import SessionIdleTimeoutMiddleware

KEY = SessionIdleTimeoutMiddleware.KEY
T0 = 1_800_000_000.0


@pytest.fixture
def clock(monkeypatch):
    now = [T0]
    monkeypatch.setattr("portal.middleware._now", lambda: now[0])
    return now


@pytest.fixture
def learner_client(clock, client, learner):
    client.force_login(learner)  # on the test's clock: signing in is the first time seen
    return client


def _stored(client) -> tuple[str, object]:
    row = Session.objects.get(session_key=client.session.session_key)
    return row.session_data, row.expire_date


def test_a_session_idle_for_longer_than_the_setting_is_signed_out(learner_client, settings, clock):
    settings.SESSION_IDLE_MINUTES = 120
    assert learner_client.get("/settings/").status_code == 200

    clock[0] += 119 * 60
    assert learner_client.get("/settings/").status_code == 200  # still there, and seen again now
    clock[0] += 121 * 60
    response = learner_client.get("/settings/", follow=True)

    assert response.redirect_chain[0] == ("/accounts/login/?next=/settings/", 302)
    assert "signed out after 120 minutes away" in response.text
    assert "_auth_user_id" not in learner_client.session


def test_an_htmx_request_after_the_idle_time_is_sent_to_the_login_page(learner_client, settings, clock):
    settings.SESSION_IDLE_MINUTES = 30
    learner_client.get("/settings/")
    clock[0] += 31 * 60

    response = learner_client.get("/settings/", headers={"HX-Request": "true"})

    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_the_last_seen_time_is_written_at_most_once_a_minute(learner_client, settings, clock):
    settings.SESSION_IDLE_MINUTES = 120
    first = _stored(learner_client)

    learner_client.get("/settings/")
    clock[0] += 30
    learner_client.get("/settings/")
    unchanged = _stored(learner_client)
    clock[0] += 31
    learner_client.get("/settings/")

    assert unchanged == first  # no session write within the minute of the sign-in
    assert _stored(learner_client) != first and learner_client.session[KEY] == int(T0 + 61)


def test_zero_minutes_keeps_sessions_until_they_expire(learner_client, settings, clock):
    settings.SESSION_IDLE_MINUTES = 0
    learner_client.get("/settings/")
    clock[0] += 30 * 24 * 3600

    assert learner_client.get("/settings/").status_code == 200
