import pytest
from django.urls import reverse

from tests.factories import CourseFactory, ModuleFactory, ObjectiveFactory, StudiedObjectiveFactory


def make_course(n: int, learner):
    """A course of n modules of n objectives each, half of them studied by the learner."""
    course = CourseFactory()
    modules = [ModuleFactory(course=course, code=f"9.{m}", order=m) for m in range(1, n + 1)]
    for module in modules:
        for o in range(1, n + 1):
            objective = ObjectiveFactory(module=module, code=f"{module.code}.{o}", order=o)
            if o % 2:
                StudiedObjectiveFactory(user=learner, objective=objective)
    return course, modules


@pytest.mark.parametrize("n", [1, 12])
def test_dashboard_lists_courses_with_progress_in_flat_queries(learner_client, learner, django_assert_num_queries, n):
    course, _ = make_course(n, learner)

    # session, user, courses, modules, cards with their studied marks (the courses' counts come from them),
    # card states, open confident mistakes, calibration, review days, latest results
    with django_assert_num_queries(10):
        response = learner_client.get(reverse("home"))

    assert response.status_code == 200
    assert course.title in response.text
    assert f"{(n + 1) // 2 * n} of {n * n} notes studied" in response.text


@pytest.mark.parametrize("n", [1, 12])
def test_course_page_lists_modules_with_counts(learner_client, learner, django_assert_num_queries, n):
    course, _modules = make_course(n, learner)

    # session, user, course, modules with counts
    with django_assert_num_queries(4):
        response = learner_client.get(course.get_absolute_url())

    assert response.status_code == 200
    assert response.text.count('class="card"') == n
    assert f"{n} objective" in response.text
    assert f"{(n + 1) // 2} of {n} studied" in response.text


def test_studied_counts_are_the_learners_own_whoever_else_studied(learner_client, learner, other_learner):
    course, modules = make_course(2, learner)
    for objective in modules[0].objectives.all():  # another learner studied every note of the first module
        StudiedObjectiveFactory(user=other_learner, objective=objective)

    course_page = learner_client.get(course.get_absolute_url()).text
    dashboard = learner_client.get(reverse("home")).text

    assert course_page.count("1 of 2 studied") == 2  # each module: the learner's one of two
    assert "2 of 4 notes studied" in dashboard


@pytest.mark.parametrize("n", [1, 12])
def test_module_page_shows_notes_and_neighbours(learner_client, learner, django_assert_num_queries, n):
    _course, modules = make_course(max(n, 3), learner)
    module = modules[1]
    for o in range(max(n, 3) + 1, max(n, 3) + n + 1):
        ObjectiveFactory(module=module, code=f"{module.code}.{o}", order=o)

    # session, user, module+course, course modules (previous / next), objectives with their studied marks
    with django_assert_num_queries(5):
        response = learner_client.get(module.get_absolute_url())

    assert response.status_code == 200
    assert response.text.count('class="objective"') == module.objectives.count()
    assert "A first point about escalation" in response.text
    assert f'href="{modules[0].get_absolute_url()}"' in response.text
    assert f'href="{modules[2].get_absolute_url()}"' in response.text
    assert response.text.count("Mark as not studied") == (max(n, 3) + 1) // 2  # the odd ones of make_course


@pytest.mark.parametrize("n", [1, 12])
def test_objective_page_has_stable_url_and_neighbours(learner_client, learner, django_assert_num_queries, n):
    _course, modules = make_course(n, learner)
    objective = modules[0].objectives.get(order=1)

    # session, user, objective+module+course with its studied mark, course objectives (previous / next)
    with django_assert_num_queries(4):
        response = learner_client.get(f"/objectives/{objective.code}/")

    assert response.status_code == 200
    assert f'<h1><span class="code">{objective.code}</span> {objective.prompt}</h1>' in response.text
    assert "Mark as not studied" in response.text
    if n > 1:
        assert 'rel="next"' in response.text


def test_unknown_codes_answer_404_with_the_site_page(learner_client):
    for url in ["/modules/9.99/", "/objectives/9.99.1/", "/courses/nope/"]:
        response = learner_client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.text


@pytest.mark.parametrize(
    "url", ["/courses/process-and-procedures/", "/modules/5.13/", "/objectives/5.13.1/", "/search/?q=escalation"]
)
def test_anonymous_visitor_is_sent_to_login(client, course_library, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_anonymous_htmx_request_gets_hx_redirect_to_login(client, course_library):
    response = client.get("/modules/5.13/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=/modules/5.13/"
    assert response.text == ""


@pytest.mark.parametrize("n", [1, 7])
def test_search_shows_matches_in_context(learner_client, learner, django_assert_num_queries, n):
    make_course(n, learner)

    # session, user, matching objectives
    with django_assert_num_queries(3):
        response = learner_client.get("/search/", {"q": "escalation"})

    assert response.status_code == 200
    assert f"{n * n} result" in response.text
    assert "<mark>escalation</mark>" in response.text


def test_search_in_the_course_finds_escalation_objectives(learner_client, course_library):
    response = learner_client.get("/search/", {"q": "escalation"})

    assert response.status_code == 200
    assert 'href="/objectives/5.13.1/"' in response.text
    assert "<mark>" in response.text.split('href="/objectives/5.13.1/"')[1].split("</li>")[0]


def test_search_htmx_request_gets_only_the_results_fragment(learner_client, course_library):
    response = learner_client.get("/search/", {"q": "escalation"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="search-results"')
    assert "<html" not in response.text


@pytest.mark.parametrize(
    "query", ["", "   ", "<script>alert(1)</script>", "'; DROP TABLE x; --", "a" * 5000, '"unbalanced']
)
def test_search_survives_any_input(learner_client, course_library, query):
    response = learner_client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text


def test_search_escapes_note_text_in_snippets(learner_client, learner):
    ObjectiveFactory(note_md="Use `<b>` tags & escalation\n")

    response = learner_client.get("/search/", {"q": "escalation"})

    assert "tags &amp; <mark>escalation</mark>" in response.text
    assert "<b>" not in response.text  # shown escaped (SQLite) or dropped by ts_headline (PostgreSQL)


def test_postgres_search_is_full_text_with_stemming_and_ranking(learner_client, course_library, postgres_only):
    response = learner_client.get("/search/", {"q": "escalating"})  # no note says "escalating"

    hits = response.text.split('class="search-hits"')[1]
    assert 'href="/objectives/5.13.1/"' in hits
    # the prompt match ("Describe escalation", weight A) outranks notes that only mention it
    assert hits.index('href="/objectives/5.13.1/"') < hits.index('href="/objectives/5.5.3/"')


def test_sqlite_search_needs_every_word(learner_client, db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite fallback")
    ObjectiveFactory(prompt="Define escalation", note_md="Moving an incident upwards.\n")
    ObjectiveFactory(prompt="Define incident", note_md="An unplanned interruption.\n")

    response = learner_client.get("/search/", {"q": "incident escalation"})

    assert "1 result for" in response.text
    assert "<mark>escalation</mark>" in response.text


@pytest.mark.parametrize("target", ["0", "content:search", "modules/5.13/"])
def test_marking_studied_with_a_next_that_is_not_a_path_goes_back_to_the_note(learner_client, target):
    objective = ObjectiveFactory(code="9.1.1")

    response = learner_client.post(f"/objectives/{objective.code}/studied/", {"studied": "1", "next": target})

    assert response.status_code == 302 and response["Location"] == objective.get_absolute_url()
