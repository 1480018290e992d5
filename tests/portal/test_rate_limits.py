"""Sign-in rate limits (issue 12) hold across workers, and slow an attacker without keeping the owner from
a password reset. Run on the production cache: the DatabaseCache (portal.settings, REDIS_URL unset)."""

import re

import pytest
from asgiref.local import Local
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.core.management import call_command
from django.test import Client

from portal import settings as portal_settings

SHARED_CACHE = {"default": portal_settings.DATABASE_CACHE}
TOO_MANY = "Too many failed login attempts"


@pytest.fixture
def shared_cache(settings, db):
    settings.CACHES = SHARED_CACHE
    call_command("createcachetable", verbosity=0)  # migration 0004 makes it; tests run on locmem
    return caches["default"]


def another_worker():
    """What a request answered by another gunicorn worker sees: its own cache objects, and with them an
    empty per-process (locmem) cache, while a shared cache still holds every count."""
    caches.close_all()
    caches._connections = Local(caches.thread_critical)
    for store in (locmem._caches, locmem._expire_info, locmem._locks):
        store.clear()


def _login(client, email, password):
    another_worker()
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_the_production_default_cache_is_shared_by_every_worker():
    if portal_settings.REDIS_URL:
        assert portal_settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    else:
        assert portal_settings.CACHES == SHARED_CACHE


def test_the_database_cache_keeps_a_class_s_counters(shared_cache):
    """Django's default cap (300 entries) would cull live rate-limit counters once a class signs in."""
    for n in range(1_000):
        shared_cache.set(f"counter-{n}", n)

    assert all(shared_cache.get(f"counter-{n}") == n for n in range(1_000))


def test_failures_for_one_address_count_across_workers_and_ip_addresses(shared_cache, learner, password):
    workers = [Client(REMOTE_ADDR=f"10.0.0.{n}") for n in range(1, 12)]  # a new address every time

    refused = [TOO_MANY in _login(c, learner.email, "wrong guess").text for c in workers[:10]]
    locked = _login(workers[10], learner.email, password)  # even the right password, for now

    assert refused == [False] * 10
    assert TOO_MANY in locked.text and "_auth_user_id" not in workers[10].session


def test_failures_from_one_ip_address_count_across_workers(shared_cache, learner, other_learner, password):
    first, second = Client(REMOTE_ADDR="10.0.1.1"), Client(REMOTE_ADDR="10.0.1.1")

    for n in range(10):
        _login((first, second)[n % 2], f"guess{n}@example.com", "wrong guess")
    locked = _login(first, other_learner.email, password)

    assert TOO_MANY in locked.text


def test_after_the_lockout_the_owner_resets_the_password_and_signs_in(shared_cache, learner):
    for n in range(10):
        _login(Client(REMOTE_ADDR=f"10.0.2.{n}"), learner.email, "wrong guess")
    owner = Client(REMOTE_ADDR="10.0.3.1")
    assert TOO_MANY in _login(owner, learner.email, "still wrong").text

    another_worker()
    requested = owner.post("/accounts/password/reset/", {"email": learner.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)
    another_worker()
    form = owner.get(link)
    another_worker()
    reset = owner.post(form["Location"], {"password1": "a-new-pass-phrase", "password2": "a-new-pass-phrase"})
    signed_in = _login(owner, learner.email, "a-new-pass-phrase")

    assert requested.status_code == 302 and form.status_code == 302 and reset.status_code == 302
    assert signed_in.status_code == 302 and owner.session["_auth_user_id"] == str(learner.pk)
