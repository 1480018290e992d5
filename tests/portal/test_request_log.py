"""One log line per request with its id; the id in the header, in Django's error report and on the 500 page."""

import io
import logging
import re

import pytest
from django.test import Client

HEX_ID = re.compile(r"[0-9a-f]{32}")


def request_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "portal.request"]


@pytest.fixture
def console():
    """What the configured console handler (settings.LOGGING, standard output) writes, through its real
    filter and formatter."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_a_signed_in_request_is_one_line_with_method_path_status_duration_user_and_id(learner_client, learner, caplog):
    with caplog.at_level(logging.INFO, logger="portal.request"):
        response = learner_client.get("/healthz")

    [line] = request_lines(caplog)
    assert (line.http_method, line.http_path, line.status, line.user_id) == ("GET", "/healthz", 200, learner.pk)
    assert line.duration_ms >= 0
    assert line.request_id == response["X-Request-ID"]
    assert HEX_ID.fullmatch(line.request_id)
    assert line.getMessage() == f"GET /healthz 200 {line.duration_ms:.1f}ms user={learner.pk}"


def test_a_visitor_is_logged_as_a_dash_and_the_query_string_is_left_out(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="portal.request"):
        client.get("/accounts/login/?next=/secret-words/")

    [line] = request_lines(caplog)
    assert (line.http_method, line.http_path, line.status, line.user_id) == ("GET", "/accounts/login/", 200, "-")


def test_every_response_carries_a_new_request_id(client, db):
    first, second = client.get("/healthz")["X-Request-ID"], client.get("/healthz")["X-Request-ID"]

    assert HEX_ID.fullmatch(first)
    assert HEX_ID.fullmatch(second)
    assert first != second


def test_a_safe_incoming_request_id_is_kept(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="portal.request"):
        response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42_x"})

    assert response["X-Request-ID"] == "lb-7f3a.42_x"
    assert request_lines(caplog)[0].request_id == "lb-7f3a.42_x"


@pytest.mark.parametrize("hostile", ["a b", "id\nFAKE LOG LINE", "x" * 65, "<script>", "a;b", ""])
def test_an_unsafe_incoming_request_id_is_replaced(client, db, hostile):
    response = client.get("/healthz", headers={"X-Request-ID": hostile})

    assert HEX_ID.fullmatch(response["X-Request-ID"])


def test_a_path_with_a_newline_stays_on_one_line(client, db, console):
    client.get("/no-such-page%0Afake")

    request_line = next(line for line in console.getvalue().splitlines() if " portal.request " in line)
    assert "GET /no-such-page%0Afake 404" in request_line


@pytest.mark.urls("tests.portal.urls_failing")
def test_an_unhandled_exception_is_reported_with_the_request_id_which_the_500_page_shows(learner, console):
    client = Client(raise_request_exception=False)
    client.force_login(learner)

    response = client.get("/test-fails/", headers={"X-Request-ID": "support-ref-1"})

    assert response.status_code == 500
    assert response["X-Request-ID"] == "support-ref-1"
    assert "<code>support-ref-1</code>" in response.text
    lines = console.getvalue().splitlines()
    error = next(line for line in lines if " django.request " in line)
    assert error.split(" django.request ")[1].startswith("request_id=support-ref-1 Internal Server Error: /test-fails/")
    assert "RuntimeError: the view failed on purpose" in console.getvalue()
    request_line = next(line for line in lines if " portal.request " in line)
    assert "request_id=support-ref-1 GET /test-fails/ 500 " in request_line
    assert request_line.endswith(f"ms user={learner.pk}")


def test_django_s_report_of_a_404_carries_the_request_id(client, db, console):
    """Django logs "Not Found" after the middleware chain has returned: the id still reaches the line."""
    client.get("/no-such-page/", headers={"X-Request-ID": "lb-404"})

    warning = next(line for line in console.getvalue().splitlines() if " django.request " in line)
    assert "request_id=lb-404 Not Found: /no-such-page/" in warning


def test_the_secrets_a_path_carries_stay_out_of_the_log(client, learner, caplog):
    """A password-reset key or a cohort's join code in the log would let its reader in."""
    from tests.factories import CohortFactory

    cohort = CohortFactory()
    client.get("/accounts/password/reset/key/1-set-password-key-1234/")
    client.force_login(learner)
    client.get(f"/join/{cohort.join_code}/")

    logged = " ".join(r.getMessage() for r in request_lines(caplog))
    assert "/accounts/password/reset/key/[secret]-[secret]/" in logged
    assert f"/join/{cohort.join_code}/" not in logged
    assert "/join/[secret]/" in logged
    assert "set-password-key" not in logged and "234" not in logged
