"""Every URL pattern of the site, asked by every role (issue 12): the one permission matrix.

The patterns come from the URL configuration itself (`get_resolver()`), so a new URL fails this test
until its row is added to EXPECTED. Path parameters are filled with real objects that belong to the
learner of the instructor's cohort (`learner`): another learner's attempt is someone else's for
`other_learner`, the cohort is another instructor's for `other_instructor`. GET views are asked with
GET, POST-only views with a POST of empty data. Each request runs in a savepoint rolled back after it,
so a POST that changes something leaves the next request the same objects. No role ever gets a 500.
"""

import copy
import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.contrib.admin.sites import site
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from quizzes.services.attempts import attempt_start
from tests.cohorts.helpers import take_quiz
from tests.factories import (
    CohortFactory,
    CourseFactory,
    MembershipFactory,
    ModuleFactory,
    ObjectiveFactory,
    QuestionFactory,
    QuizFactory,
    TagFactory,
    UserFactory,
)

ROLES = ["anonymous", "learner", "other_learner", "instructor", "other_instructor", "superuser"]


def url_patterns(patterns=None, prefix=""):
    """Every route of the site, as written in its URLconf (the key of EXPECTED)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


# The admin: each registered ModelAdmin's pages an instructor (staff, Instructors group) and a superuser
# may open; any other is refused (403). Learners and visitors get the admin's login (302).
PAGES = ["changelist", "add", "history", "delete", "change"]
ALL, READ = set(PAGES), {"changelist", "history", "change"}  # a read-only change page still opens
ADMIN_MODELS = {  # model: (an instructor's pages, a superuser's pages)
    "auth/group": (set(), ALL),
    "account/emailaddress": (set(), ALL),
    "portal/user": (set(), ALL),
    "content/course": (READ, ALL),  # instructors edit notes, the loader makes them
    "content/module": (READ, ALL),
    "content/objective": (READ, ALL),
    "quizzes/question": (ALL, ALL),
    "quizzes/tag": (ALL, ALL),
    "quizzes/quiz": (READ, READ | {"delete"}),  # load_course makes quizzes; nobody adds one here
    "quizzes/attempt": (READ, READ | {"delete"}),  # learners' work: read only, a superuser may delete
    "cohorts/cohort": (set(), ALL),  # managed on the instructor pages (/cohorts/)
    "cohorts/membership": (set(), ALL),
}

# Statuses: anonymous, learner, other learner, instructor, other instructor, superuser.
# Anonymous visitors are sent to the login (302); a learner's own objects are not found (404) for
# anyone else, instructors included (they read a learner's attempts through their cohort's pages);
# another instructor's cohort does not exist for them (404); non-staff users get the admin's login (302).
EXPECTED = {
    "": ("get", [200, 200, 200, 200, 200, 200]),
    "healthz": ("get", [200, 200, 200, 200, 200, 200]),
    "exam-date/": ("post", [302, 302, 302, 302, 302, 302]),  # no date: clears it
    "exam-outcome/": ("post", [302, 409, 409, 409, 409, 409]),  # no past exam to answer for
    "my-data/": ("get", [302, 200, 200, 200, 200, 200]),
    "my-data/all.json": ("get", [302, 200, 200, 200, 200, 200]),
    "my-data/<str:table>.csv": ("get", [302, 200, 200, 200, 200, 200]),
    "my-data/delete/": ("get", [302, 200, 200, 200, 200, 200]),
    # allauth
    "accounts/login/": ("get", [200, 302, 302, 302, 302, 302]),
    "accounts/logout/": ("get", [302, 200, 200, 200, 200, 200]),
    "accounts/inactive/": ("get", [200, 200, 200, 200, 200, 200]),
    "accounts/signup/": ("get", [200, 302, 302, 302, 302, 302]),
    "accounts/reauthenticate/": ("get", [302, 200, 200, 200, 200, 200]),
    "accounts/email/": ("get", [302, 200, 200, 200, 200, 200]),
    "accounts/confirm-email/": ("get", [302, 302, 302, 302, 302, 302]),
    "accounts/password/change/": ("get", [302, 200, 200, 200, 200, 200]),
    "accounts/password/set/": ("get", [302, 302, 302, 302, 302, 302]),
    "accounts/password/reset/": ("get", [200, 200, 200, 200, 200, 200]),
    "accounts/login/code/confirm/": ("get", [302, 302, 302, 302, 302, 302]),
    "accounts/password/reset/key/done/": ("get", [200, 200, 200, 200, 200, 200]),
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": ("get", [302, 302, 302, 302, 302, 302]),
    "accounts/password/reset/done/": ("get", [200, 200, 200, 200, 200, 200]),
    # the admin's own pages
    "admin/": ("get", [302, 302, 302, 200, 200, 200]),
    "admin/login/": ("get", [200, 200, 200, 302, 302, 302]),
    "admin/logout/": ("post", [302, 302, 302, 200, 200, 200]),
    "admin/password_change/": ("get", [302, 302, 302, 200, 200, 200]),
    "admin/password_change/done/": ("get", [302, 302, 302, 200, 200, 200]),
    "admin/autocomplete/": ("get", [302, 302, 302, 403, 403, 403]),
    "admin/jsi18n/": ("get", [302, 302, 302, 200, 200, 200]),
    "admin/r/<path:content_type_id>/<path:object_id>/": ("get", [302, 302, 302, 404, 404, 404]),
    "admin/portal/user/<id>/password/": ("get", [302, 302, 302, 403, 403, 200]),
    "admin/^(?P<app_label>auth|account|portal|content|quizzes|cohorts)/$": ("get", [302, 302, 302, 200, 200, 200]),
    "admin/(?P<url>.*)$": ("get", [302, 302, 302, 404, 404, 404]),
    # the custom question-bank views
    "admin/quizzes/question/<int:pk>/regrade/": ("get", [302, 302, 302, 200, 200, 200]),
    "admin/quizzes/question/regrade/": ("get", [302, 302, 302, 404, 404, 404]),  # no ?ids: nothing
    "admin/quizzes/question/<int:pk>/preview/": ("get", [302, 302, 302, 200, 200, 200]),
    "admin/quizzes/question/coverage/": ("get", [302, 302, 302, 200, 200, 200]),
    "admin/quizzes/question/import-gift/": ("get", [302, 302, 302, 200, 200, 200]),
    "admin/quizzes/question/export-gift/": ("get", [302, 302, 302, 200, 200, 200]),
    # content
    "courses/<slug:slug>/": ("get", [302, 200, 200, 200, 200, 200]),
    "modules/<str:code>/": ("get", [302, 200, 200, 200, 200, 200]),
    "objectives/<str:code>/": ("get", [302, 200, 200, 200, 200, 200]),
    "objectives/<str:code>/studied/": ("post", [302, 400, 400, 400, 400, 400]),
    "search/": ("get", [302, 200, 200, 200, 200, 200]),
    # progress
    "study/": ("get", [302, 200, 200, 200, 200, 200]),
    "study/rate/": ("post", [302, 400, 400, 400, 400, 400]),
    "study/undo/": ("post", [302, 302, 302, 302, 302, 302]),  # nothing to undo: back to the session
    "study/course/<slug:course>/": ("get", [302, 200, 200, 200, 200, 200]),
    "study/<str:code>/": ("get", [302, 200, 200, 200, 200, 200]),
    "settings/": ("get", [302, 200, 200, 200, 200, 200]),
    # quizzes: the attempt is the learner's
    "quizzes/": ("get", [302, 200, 200, 200, 200, 200]),
    "quizzes/practice/<str:source>/": ("post", [302, 404, 404, 404, 404, 404]),
    "quizzes/<slug:slug>/": ("get", [302, 200, 200, 200, 200, 200]),
    "quizzes/<slug:slug>/start/": ("post", [302, 302, 302, 302, 302, 302]),
    "attempts/<str:uuid>/": ("get", [302, 302, 404, 404, 404, 404]),
    "attempts/<str:uuid>/summary/": ("get", [302, 200, 404, 404, 404, 404]),
    "attempts/<str:uuid>/submit/": ("post", [302, 302, 404, 404, 404, 404]),
    "attempts/<str:uuid>/result/": ("get", [302, 200, 404, 404, 404, 404]),
    "attempts/<str:uuid>/<int:position>/": ("get", [302, 200, 404, 404, 404, 404]),
    "attempts/<str:uuid>/<int:position>/flag/": ("post", [302, 302, 404, 404, 404, 404]),
    # cohorts: the cohort is the instructor's, the membership the learner's
    "my-cohorts/": ("get", [302, 200, 200, 200, 200, 200]),
    "my-cohorts/join/": ("post", [302, 400, 400, 400, 400, 400]),
    "my-cohorts/<str:uuid>/leave/": ("post", [302, 302, 404, 404, 404, 404]),
    "join/<str:code>/": ("get", [200, 200, 200, 200, 200, 200]),
    "cohorts/": ("get", [302, 403, 403, 200, 200, 200]),
    "cohorts/<str:uuid>/": ("get", [302, 403, 403, 200, 404, 200]),
    "cohorts/<str:uuid>/overview.csv": ("get", [302, 403, 403, 200, 404, 200]),
    "cohorts/<str:uuid>/quizzes/<slug:slug>/": ("get", [302, 403, 403, 200, 404, 200]),
    "cohorts/<str:uuid>/quizzes/<slug:slug>/statistics.csv": ("get", [302, 403, 403, 200, 404, 200]),
    "cohorts/<str:uuid>/settings/": ("post", [302, 403, 403, 400, 404, 400]),
    "cohorts/<str:uuid>/code/": ("post", [302, 403, 403, 302, 404, 302]),
    "cohorts/<str:uuid>/learners/<str:membership>/": ("get", [302, 403, 403, 200, 404, 200]),
    "cohorts/<str:uuid>/learners/<str:membership>/remove/": ("post", [302, 403, 403, 302, 404, 302]),
    "cohorts/<str:uuid>/learners/<str:membership>/restore/": ("post", [302, 403, 403, 302, 404, 302]),
    "cohorts/<str:uuid>/learners/<str:membership>/attempts/<str:attempt>/": ("get", [302, 403, 403, 200, 404, 200]),
}

for _model, (_staff, _superuser) in ADMIN_MODELS.items():
    for _page, _suffix in zip(PAGES, ["", "add/", "<path:object_id>/history/", "<path:object_id>/delete/",
                                      "<path:object_id>/change/"], strict=True):  # fmt: skip
        _instructor = 200 if _page in _staff else 403
        EXPECTED[f"admin/{_model}/{_suffix}"] = ("get", [302, 302, 302, _instructor, _instructor,
                                                         200 if _page in _superuser else 403])  # fmt: skip
    EXPECTED[f"admin/{_model}/<path:object_id>/"] = ("get", [302] * 6)  # to the change page


@pytest.fixture
def core(db):
    """Modules 5.1 and 5.2 of the core course, two cards each, their quizzes, two questions per quiz."""
    course = CourseFactory(slug="process-and-procedures")
    modules = []
    for order in (1, 2):
        module = ModuleFactory(course=course, code=f"5.{order}", title=f"Module 5.{order}", order=order)
        objectives = [ObjectiveFactory(module=module, code=f"5.{order}.{n}", order=n) for n in (1, 2)]
        module.quiz = QuizFactory(slug=f"quiz-5-{order}", module=module, pass_mark=70, question_count=2)
        QuestionFactory.create_batch(2, objective=objectives[0])
        modules.append(module)
    return modules


@pytest.fixture
def world(learner, other_learner, instructor, superuser, core):
    """The learner's objects: a finished module quiz and a quiz in progress, a membership of the
    instructor's cohort; another instructor with a cohort of their own."""
    other_instructor = UserFactory(email="other.instructor@example.com", is_staff=True)
    other_instructor.groups.add(*instructor.groups.all())
    cohort = CohortFactory(name="Spring cohort", instructors=[instructor])
    CohortFactory(name="Autumn cohort", instructors=[other_instructor])
    membership = MembershipFactory(cohort=cohort, user=learner)
    finished = take_quiz(learner, core[0].quiz, correct=[True, False])
    running = attempt_start(user=learner, quiz=core[1].quiz)
    question = running.slots.first().question
    objective = core[0].objectives.first()
    tag = TagFactory()
    question.tags.add(tag)
    cast = {
        "anonymous": None,
        "learner": learner,
        "other_learner": other_learner,
        "instructor": instructor,
        "other_instructor": other_instructor,
        "superuser": superuser,
    }
    admin_objects = {
        "auth/group": instructor.groups.first(),
        "account/emailaddress": learner.emailaddress_set.first(),
        "portal/user": learner,
        "content/course": objective.module.course,
        "content/module": objective.module,
        "content/objective": objective,
        "quizzes/question": question,
        "quizzes/tag": tag,
        "quizzes/quiz": core[0].quiz,
        "quizzes/attempt": finished,
        "cohorts/cohort": cohort,
        "cohorts/membership": membership,
    }
    params = {
        "table": "reviews",
        "uidb36": user_pk_to_url_str(learner),
        "content_type_id": ContentType.objects.get_for_model(cohort).pk,
        "object_id": cohort.pk,
        "id": learner.pk,
        "app_label": "quizzes",
        "url": "nothing-here/",
        "pk": question.pk,
        "slug": core[0].quiz.slug,
        "code": objective.code,
        "source": "objective",
        "position": 1,
    }
    return {"cast": cast, "admin_objects": admin_objects, "params": params, "cohort": cohort,
            "membership": membership, "running": running, "finished": finished, "objective": objective}  # fmt: skip


def concrete_url(route: str, world) -> str:
    """`route` with its parameters filled from `world` (someone else's objects for most roles)."""
    params, learner = dict(world["params"]), world["cast"]["learner"]
    cohort, membership, running = world["cohort"], world["membership"], world["running"]
    if route.startswith("admin/") and "<path:object_id>" in route and not route.startswith("admin/r/"):
        model = "/".join(route.split("/")[1:3])
        params["object_id"] = world["admin_objects"][model].pk
    if route.startswith("accounts/^password/reset/key/"):  # a valid link (after every sign-in: it hashes last_login)
        params["key"] = default_token_generator.make_token(type(learner).objects.get(pk=world["cast"]["learner"].pk))
    if route.startswith("courses/"):
        params["slug"] = world["objective"].module.course.slug
    if route.startswith(("modules/", "study/<")):
        params["code"] = world["objective"].module.code
    if route.startswith("study/course/"):
        params["course"] = world["objective"].module.course.slug
    if route.startswith("join/"):
        params["code"] = cohort.join_code
    if route.startswith("attempts/"):
        params["uuid"] = running.uuid
    if route.startswith("attempts/<str:uuid>/result/"):
        params["uuid"] = world["finished"].uuid
    if route.startswith("my-cohorts/<"):
        params["uuid"] = membership.uuid
    if route.startswith("cohorts/<"):
        params["uuid"], params["membership"], params["attempt"] = cohort.uuid, membership.uuid, world["finished"].uuid
    url = "/" + route.replace("^", "").replace("$", "").replace("\\Z", "")
    url = re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", lambda m: str(params[m.group(1)]), url)
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(params[m.group(1)]), url)


def test_every_url_pattern_is_in_the_matrix():
    routes = set(url_patterns())

    assert sorted(routes - set(EXPECTED)) == [], "a URL without its row in EXPECTED"
    assert sorted(set(EXPECTED) - routes) == [], "a row in EXPECTED for a URL that no longer exists"
    registered = {f"{m._meta.app_label}/{m._meta.model_name}" for m in site._registry}
    assert registered == set(ADMIN_MODELS)


def test_every_url_answers_every_role_as_expected_and_never_with_a_server_error(world):
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if world["cast"][role] is not None:
            clients[role].force_login(world["cast"][role])
    cookies = {role: client.cookies for role, client in clients.items()}
    wrong = []
    for route in sorted(set(url_patterns())):
        method, expected = EXPECTED[route]
        url = concrete_url(route, world)
        statuses = []
        for role in ROLES:
            cache.clear()
            client = clients[role]
            client.cookies = copy.deepcopy(cookies[role])  # as signed in as before a logout
            with transaction.atomic():
                try:
                    response = client.post(url, {}) if method == "post" else client.get(url)
                    status = response.status_code
                except Exception as error:  # a 500: the test client raises the view's exception
                    status = f"500 {type(error).__name__}: {error}"
                transaction.set_rollback(True)
            statuses.append(status)
        if statuses != expected:
            wrong.append(f"{route} ({method} {url}): expected {expected}, got {statuses}")
    assert not wrong, "\n".join(wrong)
