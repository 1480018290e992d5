"""The standard cast and shared fixtures (CONVENTIONS.md: tests)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from content.models import Course, Module, Objective
from content.services import course_load
from quizzes.models import Choice, Question, Quiz, Tag
from tests.factories import (
    PASSWORD,
    CourseFactory,
    ModuleFactory,
    ObjectiveFactory,
    QuestionFactory,
    UserFactory,
)
from tests.quizzes.helpers import make_quiz

DATA = Path(__file__).parent / "data"  # copies of ../shared that the tests need (tests/data/README.md)


def pytest_configure(config):
    # whitenoise warns (an error under filterwarnings) when STATIC_ROOT does not exist.
    Path(settings.STATIC_ROOT).mkdir(exist_ok=True)
    # A per-process cache, emptied before each test (_fresh_cache). tests/portal/test_rate_limits.py
    # uses the production one (the DatabaseCache).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth's rate limit counts (a confirmation code per address every ten seconds…) must not pass
    from one test to the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, as under `make run`: threads then have connections of
    their own and SQLite's own locking (an in-memory test database is shared by every thread)."""
    from django.conf import settings as django_settings

    default = django_settings.DATABASES["default"]
    if default["ENGINE"] == "django.db.backends.sqlite3":
        default.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


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


BANK_MODELS = [Course, Module, Objective, Tag, Question, Question.tags.through, Choice, Quiz]


@pytest.fixture(scope="session")
def _bank_rows() -> list:
    return []  # filled by the first test that loads the bank: (model, rows) in insertion order


@pytest.fixture
def question_bank(db, _bank_rows):
    """The real course and its shipped question bank, loaded as `make run` loads them.

    `load_course` runs once per session; later tests get the same rows back in one insert per table.
    """
    if not _bank_rows:
        call_command("load_course", stdout=io.StringIO())
        _bank_rows.extend((model, list(model.objects.all())) for model in BANK_MODELS)
        return
    for model, rows in _bank_rows:
        model.objects.bulk_create(rows)
    with connection.cursor() as cursor:  # PostgreSQL: the next id after the explicit ones
        for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in _bank_rows]):
            cursor.execute(sql)


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run with DATABASE_URL=postgres://...)")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def instructors_group():
    """The Instructors group with the permissions its migrations give it (quizzes 0002 and 0004); made
    again when a transactional test's flush has removed the migrated rows."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    group, created = Group.objects.get_or_create(name="Instructors")
    if created:
        bank = Q(content_type__app_label="quizzes", content_type__model__in=["question", "choice", "tag"])
        quizzes = Q(
            content_type__app_label="quizzes", codename__in=["add_quiz", "change_quiz", "view_quiz", "view_attempt"]
        )
        group.permissions.set(
            Permission.objects.filter(
                bank | quizzes | Q(content_type__app_label="content", codename__startswith="view_")
            )
        )
    return group


def make_instructor(email: str):
    """A staff user in the Instructors group."""
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(instructors_group())
    return user


@pytest.fixture
def instructor(db):
    return make_instructor("instructor@example.com")


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture
def small_bank(db):
    """Module 9.1 of the core course: two objectives and a question of every kind (from the factories).

    s-1 single, m-1 multiple response, t-1 true/false on 9.1.1; x-1 matching, o-1 ordering on 9.1.2.
    """
    course = CourseFactory(slug="process-and-procedures")
    module = ModuleFactory(course=course, code="9.1", title="Escalation basics", order=91)
    first = ObjectiveFactory(module=module, code="9.1.1", order=1)
    second = ObjectiveFactory(module=module, code="9.1.2", order=2)
    for idnumber, objective, kind in [
        ("s-1", first, Question.Kind.SINGLE),
        ("m-1", first, Question.Kind.MULTIPLE),
        ("t-1", first, Question.Kind.TRUE_FALSE),
        ("x-1", second, Question.Kind.MATCHING),
        ("o-1", second, Question.Kind.ORDERING),
    ]:
        QuestionFactory(idnumber=idnumber, objective=objective, kind=kind)
    return module


@pytest.fixture
def quiz(small_bank):
    return make_quiz(small_bank)
