"""The shipped course text: complete, clean, and faithful to the deck (../shared/seeds)."""

import re

import pytest

from content.markdown import html_to_text
from content.models import Course, Module, Objective
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"
DECK = SEEDS / "000_537c7024774daeb3.txt"
# Cards per module as the deck numbers them; 5.6.8 does not exist in the source.
DECK_CARDS = {
    "5.1": 1, "5.2": 3, "5.3": 3, "5.4": 4, "5.5": 10, "5.6": 11, "5.7": 4, "5.8": 5,
    "5.9": 5, "5.10": 13, "5.11": 4, "5.12": 4, "5.13": 2, "5.14": 3, "5.15": 4, "5.16": 3,
}  # fmt: skip
EXPECTED_CODES = [
    f"{module}.{n}" for module, count in DECK_CARDS.items() for n in range(1, count + 1) if f"{module}.{n}" != "5.6.8"
]
RATING_PROMPT = ["How well did you know this", "Not at all", "Perfectly"]
# Words the notes spell differently from the deck on purpose: "negative affect" -> "negative effect".
FIXED_WORDS = {"affect", "effect"}
# An editor's note: a blockquote whose first words are the bold label "Editor's note:" (docs/content-format.md).
EDITORS_NOTE = re.compile(r"<blockquote>\s*<p><strong>Editor's note:</strong>.*?</blockquote>", re.S)
# Cards whose answer is wrong or unusual: the note keeps the deck's words and says so in an editor's note.
UNUSUAL_CARDS = ["5.6.1", "5.6.10", "5.14.1", "5.16.1"]


@pytest.fixture
def core(course_library):
    return Course.objects.get(slug="process-and-procedures")


def test_core_course_has_sixteen_modules_in_order(core):
    modules = list(Module.objects.filter(course=core).order_by("order").values_list("code", flat=True))

    assert modules == [f"5.{n}" for n in range(1, 17)]
    assert all(m.title and m.summary for m in Module.objects.filter(course=core))


def test_core_course_has_the_decks_78_objective_codes(core):
    codes = list(
        Objective.objects.filter(module__course=core).order_by("module__order", "order").values_list("code", flat=True)
    )

    assert len(codes) == 78
    assert sorted(codes) == sorted(EXPECTED_CODES)
    assert "5.6.8" not in codes


def test_every_note_is_non_empty_and_free_of_the_rating_prompt(course_library):
    for objective in Objective.objects.all():
        assert objective.prompt.strip(), objective.code
        assert objective.note_text.strip(), objective.code
        for phrase in RATING_PROMPT:
            assert phrase.lower() not in objective.note_md.lower(), (objective.code, phrase)


@pytest.mark.parametrize("code", ["5.2.2", "5.10.6", "5.3.2", "5.6.1"])
def test_nested_list_structure_is_restored(course_library, code):
    html = Objective.objects.get(code=code).note_html

    assert re.search(r"<li>[^<]*(<strong>[^<]*</strong>[^<]*)?\n<(ul|ol)>", html), html


@pytest.mark.parametrize(
    ("code", "steps"), [("5.5.3", 9), ("5.6.9", 6), ("5.6.10", 5), ("5.8.5", 6), ("5.14.2", 6), ("5.14.3", 5)]
)
def test_step_lists_are_numbered_lists(course_library, code, steps):
    html = Objective.objects.get(code=code).note_html

    first_list = html[html.index("<ol>") : html.index("</ol>")]
    assert first_list.count("\n<li>") == steps


def test_supplementary_course_has_modules_and_notes(course_library):
    supplementary = Course.objects.get(slug="support-center-essentials")
    objectives = Objective.objects.filter(module__course=supplementary)

    assert Module.objects.filter(course=supplementary).count() == 4
    assert objectives.count() >= 20
    assert all(o.note_text.strip() for o in objectives)


def _deck_answers() -> dict[str, str]:
    text = DECK.read_text(encoding="utf-8")
    parts = re.split(r"^(5\.\d+\.\d+) ", text, flags=re.M)
    answers = {}
    for code, body in zip(parts[1::2], parts[2::2], strict=True):
        answer = body.split("\nA\n", 1)[1]
        answer = answer.split("How well did you know this?")[0]
        answers[code] = re.sub(r"\n\d+\nQ\n.*", "", answer, flags=re.S)
    return answers


def _deck_text(objective: Objective) -> str:
    """The note without its editor's notes: the words that must be the deck's."""
    return html_to_text(EDITORS_NOTE.sub("", objective.note_html))


def _words(text: str) -> set[str]:
    """Words of four letters or more, plural and possessive folded ("customers" ~ "customer's")."""
    words = re.findall(r"[a-z]+", text.lower())
    return {w.removesuffix("s") for w in words if len(w) >= 4}


@pytest.mark.skipif(not DECK.exists(), reason="../shared/seeds is not beside this clone")
def test_each_note_says_what_its_deck_answer_says_no_less_no_more(course_library):
    answers = _deck_answers()
    assert sorted(answers) == sorted(EXPECTED_CODES)

    for code, answer in answers.items():
        objective = Objective.objects.get(code=code)
        missing = _words(answer) - _words(_deck_text(objective)) - FIXED_WORDS
        added = _words(_deck_text(objective)) - _words(answer) - FIXED_WORDS
        assert not missing, f"{code} lost {sorted(missing)}"
        assert not added, f"{code} adds {sorted(added)}"


def test_editors_notes_are_marked_and_set_apart(course_library):
    """A blockquote in a note is an editor's note and says so; an editor's note is never outside one."""
    for objective in Objective.objects.all():
        html = objective.note_html
        marked = EDITORS_NOTE.findall(html)
        assert html.count("<blockquote>") == len(marked), objective.code
        assert len(re.findall(r"editor[’']s note", html, flags=re.I)) == len(marked), objective.code
        assert not html.startswith("<blockquote>"), objective.code  # the source's words come first


@pytest.mark.parametrize("code", UNUSUAL_CARDS)
def test_the_decks_unusual_answers_keep_the_decks_words_and_carry_an_editors_note(course_library, code):
    objective = Objective.objects.get(code=code)

    (note,) = EDITORS_NOTE.findall(objective.note_html)
    assert len(_words(html_to_text(note)) - _words(_deck_text(objective))) >= 10, note  # it says something
