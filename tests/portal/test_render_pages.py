"""`manage.py render_pages DIR` (home), the pages `make audit` gives the Nu HTML validator."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_render_pages_writes_the_main_pages_as_the_demo_learner_and_instructor_see_them(question_bank, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()

    call_command("render_pages", str(tmp_path), stdout=out)

    pages = {path.stem: path.read_text() for path in tmp_path.glob("*.html")}
    assert len(pages) == 27 and f"27 pages written to {tmp_path}" in out.getvalue()
    assert all(html.startswith("<!DOCTYPE html>") for html in pages.values())
    assert "Sign up" in pages["landing"] and "Your dashboard" in pages["dashboard"]  # anonymous, then signed in
    assert "Question 1 of" in pages["question"] and "<h1>Result: 0% · Not passed</h1>" in pages["result"]
    assert "Demo cohort" in pages["cohort-overview"]


def test_render_pages_needs_the_demo_data(db, tmp_path):
    with pytest.raises(CommandError, match="load_demo"):
        call_command("render_pages", str(tmp_path))
