"""The shipped question bank (quizzes/bank/*.gift) against the course it tests."""

import math
import re
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from content.loader import parse_module_file
from quizzes import gift
from quizzes.models import Question

BANK = Path(settings.QUESTION_BANK_DIR)
COURSES = Path(settings.CONTENT_DIR)


def _parse_bank():
    parsed = {path.name: gift.parse(path.read_text(encoding="utf-8")) for path in sorted(BANK.glob("*.gift"))}
    return parsed, [q for result in parsed.values() for q in result.questions]


PARSED, QUESTIONS = _parse_bank()
MODULES = {m.code: m for m in map(parse_module_file, sorted(COURSES.glob("*/*.md")))}
OBJECTIVES = {o.code: (m.code, o) for m in MODULES.values() for o in m.objectives}
BY_OBJECTIVE = defaultdict(list)
for _q in QUESTIONS:
    BY_OBJECTIVE[_q.objective_code].append(_q)


def _words(text: str) -> set[str]:
    return {w.removesuffix("s") for w in re.findall(r"[a-z]+", text.lower()) if len(w) >= 4}


def _note_is_a_list(note_md: str) -> bool:
    return bool(re.search(r"^\s*(-|\d+\.)\s", note_md, re.M))


def test_every_bank_file_parses_without_errors_or_skips():
    assert sorted(PARSED) == sorted(f"{code}.gift" for code in MODULES)
    for name, result in PARSED.items():
        assert result.errors == [], name
        assert result.skipped == [], name


def test_every_question_names_an_existing_objective_and_has_a_unique_id():
    assert all(q.objective_code in OBJECTIVES for q in QUESTIONS)
    ids = Counter(q.idnumber for q in QUESTIONS)
    assert all(ids.values()) and max(ids.values()) == 1
    assert all(q.idnumber.startswith(q.objective_code + "-") for q in QUESTIONS)


def test_each_objective_reaches_its_minimum():
    for code in OBJECTIVES:
        minimum = 4 if code.startswith("5.") else 2
        assert len(BY_OBJECTIVE[code]) >= minimum, code


def test_single_and_true_false_have_exactly_one_correct_answer():
    for q in QUESTIONS:
        if q.kind in ("single", "truefalse"):
            assert sum(1 for c in q.choices if c.fraction == 1) == 1, q.idnumber


def test_multiple_response_cannot_be_gamed_by_ticking_everything():
    for q in QUESTIONS:
        if q.kind == "multiple":
            assert sum(c.fraction for c in q.choices if c.fraction > 0) == pytest.approx(1, abs=Decimal("0.001"))
            assert sum(c.fraction for c in q.choices) <= Decimal("0.001"), q.idnumber


def test_no_stem_appears_twice_and_no_option_repeats_in_a_question():
    stems = Counter(" ".join(q.stem.split()).casefold() for q in QUESTIONS)
    assert [s for s, n in stems.items() if n > 1] == []
    for q in QUESTIONS:
        texts = [" ".join(c.text.split()).casefold() for c in q.choices if c.text]
        assert len(texts) == len(set(texts)), q.idnumber


def test_every_module_uses_at_least_three_kinds():
    kinds = defaultdict(set)
    for q in QUESTIONS:
        kinds[OBJECTIVES[q.objective_code][0]].add(q.kind)
    for module in MODULES:
        assert len(kinds[module]) >= 3, (module, kinds[module])


def _built_from_the_list(q: gift.GiftQuestion, note_md: str) -> bool:
    """The correct option is not in the note; the distractors are its items (most of their words are the note's)."""
    note_words, note_text = _words(note_md), " ".join(note_md.split()).casefold()
    correct = next(c for c in q.choices if c.fraction == 1)
    wrong = [c for c in q.choices if c.fraction != 1]
    return " ".join(correct.text.split()).casefold() not in note_text and all(
        len(_words(c.text) & note_words) >= len(_words(c.text)) / 2 for c in wrong
    )


def test_every_list_note_has_a_not_question_built_from_its_list():
    for code, (_, objective) in OBJECTIVES.items():
        if _note_is_a_list(objective.note_md):
            not_questions = [q for q in BY_OBJECTIVE[code] if q.kind == "single" and re.search(r"\bNOT\b", q.stem)]
            assert any(_built_from_the_list(q, objective.note_md) for q in not_questions), code


@pytest.mark.parametrize("code", ["5.5.3", "5.6.9", "5.6.10", "5.8.5", "5.14.2", "5.14.3"])
def test_step_lists_have_an_ordering_question(code):
    assert any(q.kind == "ordering" and len(q.choices) >= 3 for q in BY_OBJECTIVE[code])


@pytest.mark.parametrize("code", ["5.9.3", "5.10.2", "5.10.4", "5.12.3", "5.12.4", "5.13.1"])
def test_paired_definitions_have_a_matching_question(code):
    assert any(q.kind == "matching" and sum(1 for c in q.choices if c.text) >= 3 for q in BY_OBJECTIVE[code])


@pytest.mark.parametrize(
    ("stem_start", "options", "answer"),
    [
        ("What is the number 1 Marketing Tool?", ["SOP", "SLA", "Strategy Statement"], "Strategy Statement"),
        (
            "A common solution to technical problems is to educate the customers by explaining how something "
            "works. When you feel you need to get your point across with a customer, you",
            [
                "Stop the customer and correct their thinking",
                "Ask the customer how much of the problem she or he understands",
                "Tell the customer that no one else agrees that this is a problem",
                "Listen to the customer and confirm that you understand",
            ],
            "Listen to the customer and confirm that you understand",
        ),
        (
            "Which of the following is NOT usually a part of a Service Agreement?",
            [
                "Amount of time a customer has to wait before expecting a response",
                "Number of people working the Help Desk",
                "Allowed downtime for the network",
            ],
            "Number of people working the Help Desk",
        ),
    ],
)
def test_the_source_documents_multiple_choice_items_are_there_as_written(stem_start, options, answer):
    (q,) = [q for q in QUESTIONS if q.stem.startswith(stem_start)]

    assert q.kind == "single"
    assert [c.text for c in q.choices] == options
    assert next(c.text for c in q.choices if c.fraction == 1) == answer
    assert "source-mcq" in q.tags


@pytest.mark.parametrize(("code", "word"), [("5.1.1", "documented")])
def test_a_true_statement_of_a_definition_keeps_the_word_its_companion_is_keyed_false_on(code, word):
    """5.1.1-02 ("an undocumented set of steps") is False: a True item must not drop "documented" either."""
    _, objective = OBJECTIVES[code]
    definition = _words(objective.note_md)
    assert word in definition
    true_items = [q for q in BY_OBJECTIVE[code] if q.kind == "truefalse" and q.choices[0].fraction == 1]

    assert true_items
    for q in true_items:
        assert definition <= _words(q.stem), (q.idnumber, sorted(definition - _words(q.stem)))


def _correct_positions(q: gift.GiftQuestion) -> list[int]:
    return [i for i, c in enumerate(q.choices) if c.fraction > 0]


def test_the_position_of_the_single_answer_carries_no_information():
    """With shuffling off, always picking option n must score what guessing scores, give or take a little."""
    single = [(len(q.choices), _correct_positions(q)[0]) for q in QUESTIONS if q.kind == "single"]
    by_size = defaultdict(Counter)
    for size, position in single:
        by_size[size][position] += 1
    for size, counts in by_size.items():
        total = sum(counts.values())
        if total >= 30:  # enough questions with this many options to judge them on their own
            assert max(counts.values()) / total <= 1 / size + 0.05, (size, sorted(counts.items()))

    for position in range(max(size for size, _ in single)):
        chance = sum(1 / size for size, _ in single if position < size) / len(single)
        share = sum(1 for _, p in single if p == position) / len(single)
        assert abs(share - chance) <= 0.05, (position, share, chance)


def test_the_positions_of_the_multiple_response_answers_carry_no_information():
    multiple = [(len(q.choices), _correct_positions(q)) for q in QUESTIONS if q.kind == "multiple"]
    for position in range(max(size for size, _ in multiple)):
        with_position = [(size, correct) for size, correct in multiple if position < size]
        if len(with_position) < 30:
            continue
        chance = sum(len(correct) / size for size, correct in with_position) / len(with_position)
        share = sum(1 for _, correct in with_position if position in correct) / len(with_position)
        assert abs(share - chance) <= 0.1, (position, share, chance)

    # Ticking the first options (as many as are correct) wins about as often as any other guess does.
    first_ones = sum(1 for _, correct in multiple if correct == list(range(len(correct))))
    chance = sum(1 / math.comb(size, len(correct)) for size, correct in multiple)
    assert first_ones / len(multiple) <= chance / len(multiple) + 0.1, (first_ones, chance)


def test_every_explanation_names_its_objective():
    for q in QUESTIONS:
        assert q.explanation.startswith(f"Objective {q.objective_code}:"), q.idnumber
        assert len(q.explanation) > len(f"Objective {q.objective_code}:") + 20, q.idnumber


def test_the_loaded_bank_is_active_and_complete(question_bank):
    assert Question.objects.filter(is_active=True).count() == len(QUESTIONS)
    assert (
        not Question.objects.filter(objective__module__course__slug="process-and-procedures")
        .exclude(kind__in=["single", "multiple", "truefalse", "matching", "ordering"])
        .exists()
    )
