"""The standard cast and shared fixtures (CONVENTIONS.md: tests)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from content.services import course_load
from tests.factories import PASSWORD, UserFactory

SHARED = Path(settings.BASE_DIR).parent / "shared"


def pytest_configure(config):
    # whitenoise warns (an error under filterwarnings) when STATIC_ROOT does not exist.
    Path(settings.STATIC_ROOT).mkdir(exist_ok=True)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def learner(db):
    return UserFactory(email="learner@example.com")


@pytest.fixture
def other_learner(db):
    return UserFactory(email="other.learner@example.com")


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True)


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def course_library(db):
    """The real course notes (without the question bank)."""
    course_load(root=Path(settings.CONTENT_DIR))


@pytest.fixture
def question_bank(db):
    """The real course and its shipped question bank, loaded as `make run` loads them."""
    call_command("load_course", stdout=io.StringIO())


@pytest.fixture
def postgres_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://...)")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def instructor(db):
    from django.contrib.auth.models import Group

    user = UserFactory(email="instructor@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client
