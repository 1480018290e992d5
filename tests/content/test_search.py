"""Search: stemming, ranking, safe input, the index kept in step (SQLite), and help when nothing matches."""

import pytest
from django.db import connection

from content.apps import search_index_repair
from content.models import Objective
from content.services import objective_render
from tests.factories import ObjectiveFactory


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite FTS5 index")


def hit_codes(response) -> list[str]:
    if 'class="search-hits"' not in response.text:
        return []
    hits = response.text.split('class="search-hits"')[1].split("</ol>")[0]
    return [part.split("/")[0] for part in hits.split('href="/objectives/')[1:]]


def test_a_word_finds_other_forms_of_it(learner_client, db):
    ObjectiveFactory(code="1.1.1", prompt="Define escalation", note_md="Moving an incident upwards.\n")
    ObjectiveFactory(code="1.1.2", prompt="Define priority", note_md="Impact and urgency.\n")

    response = learner_client.get("/search/", {"q": "escalate"})

    assert hit_codes(response) == ["1.1.1"]
    assert "<mark>escalation</mark>" in response.text  # the stemmed match is highlighted too


def test_a_match_in_the_prompt_outranks_one_in_the_note(learner_client, db):
    ObjectiveFactory(code="1.1.1", prompt="Define priority", note_md="Escalation can follow.\n")
    ObjectiveFactory(code="1.1.2", prompt="Describe escalation", note_md="Moving an incident upwards.\n")
    ObjectiveFactory(code="1.1.3", prompt="Define impact", note_md="Not related.\n")

    response = learner_client.get("/search/", {"q": "escalating"})

    assert hit_codes(response) == ["1.1.2", "1.1.1"]


def test_escalating_tier_finds_the_objectives_about_escalation_tiers(learner_client, course_library):
    response = learner_client.get("/search/", {"q": "escalating tier"})

    codes = hit_codes(response)
    # no objective has both words: the ones with either, best first
    assert "these have some of them" in response.text
    assert {"S.3.4", "S.3.6", "5.13.1"} <= set(codes[:4])


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "AND (",
        "NEAR(",
        "NEAR(escalation incident, 2)",
        "escalation OR",
        "NOT escalation",
        "prompt: x",
        "escal*",
        "^escalation",
        "{prompt note_text}: escalation",
        "a - b",
        "'",
        "’s",
        "x:y",
    ],
)
def test_search_operators_in_the_query_are_plain_words(learner_client, course_library, query):
    response = learner_client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert "result" in response.text


def test_editing_a_note_updates_the_index(learner_client, db):
    """SQLite: the FTS5 index kept by triggers (content 0003); PostgreSQL: the generated search
    document (content 0004)."""
    objective = ObjectiveFactory(prompt="Define escalation", note_md="Moving an incident upwards.\n")
    assert hit_codes(learner_client.get("/search/", {"q": "hierarchical"})) == []

    objective.note_md = "Hierarchical escalation goes to a manager.\n"
    objective_render(objective)
    objective.save()

    assert hit_codes(learner_client.get("/search/", {"q": "hierarchical"})) == [objective.code]
    assert hit_codes(learner_client.get("/search/", {"q": "upwards"})) == []  # the old words are gone
    Objective.objects.filter(pk=objective.pk).update(prompt="Define handover")  # a bulk update fires the trigger too
    assert hit_codes(learner_client.get("/search/", {"q": "handover"})) == [objective.code]
    objective.delete()
    assert hit_codes(learner_client.get("/search/", {"q": "hierarchical"})) == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # the index agrees with its table ('integrity-check' raises if not)
            cursor.execute(
                "INSERT INTO content_objective_fts(content_objective_fts, rank) VALUES ('integrity-check', 1)"
            )


def test_the_index_survives_a_table_rebuild_by_a_later_migration(learner_client, sqlite_only, db):
    objective = ObjectiveFactory(prompt="Define escalation")
    with connection.cursor() as cursor:  # what Django's SQLite schema editor does to alter a table
        for name in ["insert", "update", "delete"]:
            cursor.execute(f"DROP TRIGGER content_objective_fts_{name}")
    Objective.objects.filter(pk=objective.pk).update(prompt="Define handover")

    search_index_repair(using="default")  # post_migrate

    assert hit_codes(learner_client.get("/search/", {"q": "handover"})) == [objective.code]
    ObjectiveFactory(prompt="Define triage")
    assert len(hit_codes(learner_client.get("/search/", {"q": "triage"}))) == 1


def test_nothing_found_suggests_the_closest_library_words(learner_client, course_library):
    response = learner_client.get("/search/", {"q": "incidnt escalaton"})

    assert "0 results" in response.text
    assert 'Did you mean <a href="/search/?q=incident%20escalation">incident escalation</a>?' in response.text
    assert 'href="/courses/process-and-procedures/"' in response.text  # and the courses to browse


def test_nothing_found_without_a_close_word_gives_tips_only(learner_client, course_library):
    response = learner_client.get("/search/", {"q": "zzzzqqq"})

    assert "Did you mean" not in response.text
    assert "try fewer words" in response.text
