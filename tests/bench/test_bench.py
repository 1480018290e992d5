"""The benchmark's pieces (docs/performance.md) keep working without running the load: the baseline
page exists only under the bench settings, the builder makes consistent data at a tiny size, its
sessions sign in, and the locustfile loads with every phase's user class."""

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session

from bench import pools
from bench.builder import dataset_build, sessions_write
from content.models import Objective
from progress.models import CardState
from progress.services import STATE_FIELDS, card_states_rebuild
from quizzes.models import Attempt
from quizzes.services.attempts import attempt_score
from tests.factories import StudiedObjectiveFactory

ROOT = Path(__file__).resolve().parents[2]


def _run(command: list[str], env: dict) -> str:
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout  # noqa: S603


@pytest.fixture
def bench_urls(settings):
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]  # its template
    settings.ROOT_URLCONF = "bench.urls"
    settings.MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *settings.MIDDLEWARE]


@pytest.mark.parametrize("url", ["/bench/baseline/", "/bench/layout/", "/bench/floor/"])
def test_the_benchmark_pages_are_not_in_the_portal(learner_client, url):
    assert learner_client.get(url).status_code == 404


def test_the_baseline_page_under_the_bench_urls_reads_the_user_and_counts_its_queries(
    bench_urls, learner_client, learner
):
    response = learner_client.get("/bench/baseline/")

    assert response.status_code == 200
    assert response.text.strip() == f"<p>Signed in as {learner.email}.</p>"
    assert response["X-Bench-Queries"] == "2"  # the session, the user


def test_the_reference_pages_are_the_layout_alone_and_with_two_small_queries(
    bench_urls, learner_client, learner, course_library
):
    StudiedObjectiveFactory(user=learner, objective=Objective.objects.first())

    layout = learner_client.get("/bench/layout/")
    floor = learner_client.get("/bench/floor/")

    assert layout.status_code == floor.status_code == 200
    assert 'class="site-nav"' in layout.text and "<h1>" not in layout.text
    assert "Objectives marked studied: 1." in floor.text
    assert (layout["X-Bench-Queries"], floor["X-Bench-Queries"]) == ("2", "4")


def test_bench_settings_are_production_like_on_plain_http():
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.DEBUG, s.ROOT_URLCONF, s.DATABASES['default']['CONN_MAX_AGE'], "
        "s.STORAGES['staticfiles']['BACKEND'], s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.MIDDLEWARE[0], 'bench' in s.INSTALLED_APPS, str(s.STATIC_ROOT)]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "BENCH_DATABASE_URL": "sqlite:///unused"}
    out = _run([sys.executable, "-c", f"import django; django.setup(); {code}"], env)

    assert json.loads(out) == [
        False,
        "bench.urls",
        None,
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        False,
        False,
        "bench.middleware.QueryCountMiddleware",
        True,
        str(ROOT / "bench" / ".data" / "static"),
    ]


def test_the_builder_makes_card_states_a_rebuild_gives_and_graded_attempts(question_bank):
    info = dataset_build(learners=10, reviews=400, attempts=20, small=2)
    states = sorted(CardState.objects.values_list("user_id", "objective_id", *STATE_FIELDS))

    card_states_rebuild()

    assert sorted(CardState.objects.values_list("user_id", "objective_id", *STATE_FIELDS)) == states
    assert info["counts"]["card_states"] == len(states) > 0
    assert 200 < info["counts"]["review_events"] < 800
    finished = Attempt.objects.filter(state=Attempt.State.FINISHED).select_related("quiz")
    assert finished.count() == info["counts"]["finished_attempts"] == 20
    for attempt in finished:
        credits = list(attempt.slots.values_list("credit", flat=True))
        assert (attempt.score, attempt.passed) == attempt_score(credits=credits, pass_mark=attempt.quiz.pass_mark)
    assert [learner["profile"] for learner in info["learners"][:3]] == ["new", "new", "mid"]


def test_the_sessions_the_builder_writes_sign_the_learner_in(question_bank, client):
    info = dataset_build(learners=3, reviews=50, attempts=2, small=1)
    email = info["learners"][2]["email"]

    keys = sessions_write([email])
    client.cookies[django_settings.SESSION_COOKIE_NAME] = keys[email]

    assert Session.objects.filter(session_key=keys[email]).exists()
    assert client.get("/").context["user"].email == email


def test_the_phases_take_disjoint_learners_and_the_exams_in_progress_are_where_they_answer():
    ranges = sorted(pools.POOLS.values())
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ranges))
    first, last = pools.EXAM_IN_PROGRESS
    assert (first, last) == (pools.POOLS["answering"][0], pools.POOLS["throughput"][1])


def test_the_locustfile_loads_with_every_phase(tmp_path):
    dataset = {"learners": [{"email": "a@bench.example", "result": None, "exam": None}], "objectives": ["5.1.1"]}
    (tmp_path / "dataset.json").write_text(json.dumps(dataset))
    (tmp_path / "sessions.json").write_text("{}")
    env = {
        **os.environ,
        "BENCH_DATASET": str(tmp_path / "dataset.json"),
        "BENCH_SESSIONS": str(tmp_path / "sessions.json"),
    }
    locust = Path(sys.executable).parent / "locust"
    if not locust.exists():
        pytest.fail("locust is not installed: `make bench` or pip install -r bench/requirements.txt")

    out = _run([str(locust), "-f", "bench/locustfile.py", "--list"], env)

    assert {
        "EndpointUser",
        "LearnerDay",
        "InstructorDay",
        "Answering",
        "ExamStart",
        "ExamStartAtOnce",
        "CohortOverview",
    } <= set(out.split())
