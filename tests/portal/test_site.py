import re

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from portal.models import User
from tests.mail import verification_code


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == "ok\n"


def test_healthz_answers_503_when_the_database_does_not(client, db):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("database is down")

    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")

    assert response.status_code == 503


def test_landing_page_for_visitors_offers_sign_up(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert 'href="/accounts/signup/"' in response.text


def test_every_page_has_one_h1_lang_skip_link_and_landmarks(learner_client, course_library):
    for url in ["/", "/courses/process-and-procedures/", "/modules/5.13/", "/objectives/5.13.1/", "/search/?q=x"]:
        html = learner_client.get(url).text
        assert html.count("<h1") == 1, url
        assert '<html lang="en">' in html
        assert '<a class="skip-link" href="#main">' in html
        assert '<main id="main"' in html and "<header" in html and '<nav aria-label="Main"' in html


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_account_pages_use_the_site_layout(client, db, url):
    html = client.get(url).text

    assert '<html lang="en">' in html
    assert '<main id="main"' in html
    assert html.count("<h1") == 1


def test_htmx_is_served_from_our_static_files_with_csrf_header_and_csp(learner_client, db):
    response = learner_client.get("/")

    sources = re.findall(r'<script src="([^"]+)"', response.text) + re.findall(
        r'<link[^>]+href="([^"]+)"', response.text
    )
    assert "/static/django_htmx/htmx-2.min.js" in sources
    assert all(source.startswith("/static/") for source in sources), sources  # no CDN
    assert 'hx-headers=\'{"X-CSRFToken": "' in response.text
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.text  # no inline script: the CSP would refuse it


def test_sign_up_log_out_and_log_in_with_email(client, db):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email="new@example.com").exists()
    assert client.get("/").context["user"].is_anonymous  # not signed in before the address is verified
    confirmed = client.post("/accounts/confirm-email/", {"code": verification_code("new@example.com")})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/"
    assert client.get("/").context["user"].email == "new@example.com"

    client.post("/accounts/logout/")
    assert client.get("/courses/x/").status_code == 302

    response = client.post("/accounts/login/", {"login": "new@example.com", "password": "a-long-pass-phrase"})
    assert response.status_code == 302
    assert client.get("/").context["user"].email == "new@example.com"


def test_password_reset_sends_an_email(client, learner):
    response = client.post("/accounts/password/reset/", {"email": learner.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_wrong_password_gets_a_message_not_an_error(client, learner):
    response = client.post("/accounts/login/", {"login": learner.email, "password": "wrong"})

    assert response.status_code == 200
    assert "not correct" in response.text


@pytest.mark.parametrize(
    ("view", "status", "heading"),
    [
        (defaults.permission_denied, 403, "You may not open this page"),
        (defaults.page_not_found, 404, "Page not found"),
        (defaults.bad_request, 400, "That request could not be understood"),
    ],
)
def test_custom_error_pages(learner, view, status, heading):
    request = RequestFactory().get("/somewhere")
    request.user = learner

    response = view(request, Exception("x"))

    assert response.status_code == status
    assert heading in response.content.decode()


def test_custom_500_page_renders_without_context(db):
    response = defaults.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_admin_is_at_admin(client, superuser):
    client.force_login(superuser)

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get("/admin/content/objective/").status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_anonymous_pages_query_nothing_whatever_the_user_count(client, db, django_assert_num_queries, n):
    from tests.factories import UserFactory

    UserFactory.create_batch(n)

    for url in ["/", "/accounts/login/", "/accounts/signup/"]:
        with django_assert_num_queries(0):  # no session yet, no user: nothing to read
            assert client.get(url).status_code == 200


def test_headers_of_each_page_kind(client, learner_client, small_bank, learner):
    from quizzes.services.attempts import attempt_start
    from tests.quizzes.helpers import make_quiz, q_url

    attempt = attempt_start(user=learner, quiz=make_quiz(small_bank))
    anonymous = client.get("/accounts/login/")
    pages = [learner_client.get(url) for url in ["/", "/quizzes/", q_url(attempt), "/modules/9.1/"]]

    for response in [anonymous, *pages]:
        assert "base-uri 'none'" in response["Content-Security-Policy"]
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response["Permissions-Policy"]
    for response in pages:  # one learner's pages are never kept by a shared cache or the back button
        assert "no-store" in response["Cache-Control"]


def test_with_debug_on_no_script_replaces_the_page_with_a_refused_answer(learner_client, db, settings):
    """django-htmx's DEBUG helper swaps the whole document for any 400 (a refused answer blanked the
    quiz page under `make run`); the site loads htmx without it."""
    settings.DEBUG = True

    html = learner_client.get("/").text

    assert "django-htmx.js" not in html
    assert "/static/django_htmx/htmx-2.min.js" in html
