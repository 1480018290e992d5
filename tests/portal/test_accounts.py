"""Accounts (issue 12): one address per account that no other account can claim, sign-up and password
reset that do not tell whether an address has an account, and addresses too long to keep refused."""

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.test import Client

from portal.models import User
from tests.factories import UserFactory
from tests.mail import verification_code

NEW = {"password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"}


@pytest.fixture
def legacy_claim(learner, other_learner):
    """The state the hole left behind: the learner's account lists the other learner's address (unverified)."""
    return EmailAddress.objects.create(user=learner, email=other_learner.email, verified=False, primary=False)


# (a) Another user's address


@pytest.mark.parametrize("case", [str, str.upper], ids=["same case", "upper case"])
def test_a_learner_cannot_add_another_users_address_and_is_not_told_whose_it_is(
    learner_client, learner, other_learner, case
):
    response = learner_client.post("/accounts/email/", {"action_add": "", "email": case(other_learner.email)})

    assert response.status_code == 200
    assert "cannot be used for your account" in response.text
    assert other_learner.email not in response.text.replace(f'value="{case(other_learner.email)}"', "")
    assert not EmailAddress.objects.filter(user=learner).exclude(email=learner.email).exists()
    assert not mail.outbox  # no verification mail to the other learner


def test_another_users_address_with_the_learners_password_signs_no_one_in(
    learner_client, learner, other_learner, legacy_claim
):
    learner.set_password("the-learners-own-pass")
    learner.save()
    learner_client.post("/accounts/email/", {"action_add": "", "email": other_learner.email})
    visitor = Client()

    response = visitor.post("/accounts/login/", {"login": other_learner.email, "password": "the-learners-own-pass"})

    assert response.status_code == 200 and "not correct" in response.text
    assert "_auth_user_id" not in visitor.session


def test_a_password_reset_mails_one_link_to_the_addresss_owner(
    learner_client, learner, other_learner, legacy_claim, client
):
    learner_client.post("/accounts/email/", {"action_add": "", "email": other_learner.email})
    mail.outbox.clear()

    response = Client().post("/accounts/password/reset/", {"email": other_learner.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [other_learner.email]
    assert mail.outbox[0].body.count("/accounts/password/reset/key/") == 1


def test_making_a_claimed_address_primary_is_refused_not_a_server_error(
    learner_client, learner, other_learner, legacy_claim
):
    response = learner_client.post("/accounts/email/", {"action_primary": "", "email": other_learner.email})

    assert response.status_code in (200, 302)
    assert User.objects.get(pk=learner.pk).email == learner.email
    assert User.objects.get(pk=other_learner.pk).email == other_learner.email


def test_changing_the_address_takes_the_code_sent_to_the_new_one(learner_client, learner):
    learner_client.post("/accounts/email/", {"action_add": "", "email": "new.address@example.com"})

    assert User.objects.get(pk=learner.pk).email == learner.email  # not before the new one is verified
    verified = learner_client.post("/accounts/confirm-email/", {"code": verification_code("new.address@example.com")})

    assert verified.status_code == 302
    assert User.objects.get(pk=learner.pk).email == "new.address@example.com"
    assert list(EmailAddress.objects.filter(user=learner).values_list("email", "verified", "primary")) == [
        ("new.address@example.com", True, True)
    ]


def test_every_way_of_making_a_user_gives_it_its_address_verified(db):
    from home.services import demo_accounts_load

    demo_accounts_load()
    made = [User.objects.create_user("made@example.com", "pw"), UserFactory(), *User.objects.filter(is_staff=True)]

    for user in made:
        assert EmailAddress.objects.filter(user=user, email=user.email, primary=True, verified=True).exists()
    assert (
        Client().post("/accounts/login/", {"login": "learner@example.com", "password": "learner-demo-pass"})["Location"]
        == "/"
    )


def test_the_migration_gives_existing_users_their_address_and_drops_claims_on_it(learner, other_learner, legacy_claim):
    from importlib import import_module

    EmailAddress.objects.filter(email__in=[learner.email]).delete()
    EmailAddress.objects.filter(user=other_learner).delete()  # made before portal.signals: no rows

    import_module("portal.migrations.0003_email_addresses").forwards(apps, None)

    assert set(EmailAddress.objects.values_list("user__email", "email", "verified", "primary")) == {
        (learner.email, learner.email, True, True),
        (other_learner.email, other_learner.email, True, True),
    }


# (b) No enumeration


def _sign_up(client, email, next_url=None):
    url = "/accounts/signup/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"email": email, **NEW, **({"next": next_url} if next_url else {})})


@pytest.mark.parametrize("case", [str, str.upper], ids=["same case", "upper case"])
def test_sign_up_with_a_taken_address_looks_like_any_sign_up_and_mails_the_owner(client, learner, case):
    taken = _sign_up(client, case(learner.email))
    page = client.get(taken["Location"])
    fresh = _sign_up(Client(), "nobody@example.com")

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"] == "/accounts/confirm-email/"
    assert "already" not in page.text
    assert User.objects.filter(email__iexact=learner.email).count() == 1
    to_owner = [m for m in mail.outbox if m.to == [learner.email]]
    assert len(to_owner) == 1 and "/accounts/password/reset/" in to_owner[0].body


def test_a_password_reset_looks_the_same_for_an_address_without_an_account(client, learner):
    known = client.post("/accounts/password/reset/", {"email": learner.email})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_sign_up_signs_in_only_after_the_code_and_then_lands_on_next(client, db):
    signed_up = _sign_up(client, "new@example.com", next_url="/quizzes/")
    code = verification_code("new@example.com")
    cache.clear()  # ten seconds later: allauth sends a new code at most every ten seconds
    before = Client().post("/accounts/login/", {"login": "new@example.com", "password": NEW["password1"]})

    assert signed_up["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert before["Location"] == "/accounts/confirm-email/"  # a sign-in, too, waits for the code
    verified = client.post("/accounts/confirm-email/", {"code": code})
    assert verified.status_code == 302 and verified["Location"] == "/quizzes/"
    assert client.session["_auth_user_id"] == str(User.objects.get(email="new@example.com").pk)


# (c) Too long


def test_an_address_over_254_characters_is_refused_with_a_reason(client, db):
    email = "a" * 300 + "@example.com"  # 312 characters: allauth used to cut it to 254

    response = _sign_up(client, email)

    assert response.status_code == 200
    assert "at most 254 characters" in response.text
    assert not User.objects.exists()
