"""Moodle's GIFT text format: reading into plain data and writing from it (no database access).

Supported: `$CATEGORY:`, `::title::`, `[markdown]` / `[html]` / `[moodle]` / `[plain]`, the escapes
`\\~ \\= \\# \\{ \\} \\: \\\\ \\n`, per-answer feedback `#`, general feedback `####` (our explanation),
weights `%50%`, single answer, multiple response, true/false, matching, missing-word, and ordering
as Moodle's ordering question writes it (`{>N ... items one per line}`). Comments carry
`[id:...]` and `[tag:...]`. Numerical, short answer, essay and description questions are
reported as skipped. Type detection follows Moodle's parser (docs/question-bank.md).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from content.markdown import render_text
from quizzes.models import Question
from quizzes.validation import ChoiceData, question_problems

# Escaped characters are swapped for private-use placeholders while parsing.
_ESCAPES = {
    "\\\\": "\ue010",
    "\\~": "\ue011",
    "\\=": "\ue012",
    "\\#": "\ue013",
    "\\{": "\ue014",
    "\\}": "\ue015",
    "\\:": "\ue016",
}
_RESTORE = {"\ue010": "\\", "\ue011": "~", "\ue012": "=", "\ue013": "#", "\ue014": "{", "\ue015": "}", "\ue016": ":"}
_FORMATS = {"markdown": "markdown", "html": "html", "moodle": "html", "plain": "plain"}
_FORMAT_RE = re.compile(r"^\s*\[(markdown|html|moodle|plain)\]", re.IGNORECASE)
_WEIGHT_RE = re.compile(r"^\s*%(-?[0-9]{1,3}(?:\.[0-9]*)?)%")
_ORDERING_HEADER = re.compile(r"^>\s*(\d+)?\s*(.*)$")


@dataclass
class GiftQuestion:
    line: int
    kind: str
    stem: str
    text_format: str = "markdown"
    title: str = ""
    explanation: str = ""
    category: str = ""
    idnumber: str = ""
    tags: list[str] = field(default_factory=list)
    choices: list[ChoiceData] = field(default_factory=list)

    @property
    def objective_code(self) -> str:
        """The last segment of the category path (`5.13/5.13.1` -> `5.13.1`)."""
        return self.category.replace("//", "\ue017").split("/")[-1].replace("\ue017", "/").strip()


@dataclass
class GiftSkipped:
    line: int
    kind: str
    title: str


@dataclass
class GiftError:
    line: int
    message: str


@dataclass
class GiftParse:
    questions: list[GiftQuestion] = field(default_factory=list)
    skipped: list[GiftSkipped] = field(default_factory=list)
    errors: list[GiftError] = field(default_factory=list)


def _protect(text: str) -> str:
    """Swap escapes for placeholders in one left-to-right pass (so `\\\\n` is a backslash and an n)."""

    def swap(match: re.Match) -> str:
        char = match.group(1)
        if char == "n":
            return "\ue018"
        return _ESCAPES.get("\\" + char, match.group(0))

    return re.sub(r"\\(.)", swap, text)


def _restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text.replace("\ue018", "\n").strip()


def _format_and_text(text: str, default: str) -> tuple[str, str]:
    match = _FORMAT_RE.match(text)
    if match:
        return _FORMATS[match.group(1).lower()], text[match.end() :]
    return default, text


def _comment_metadata(comments: list[str]) -> tuple[str, list[str]]:
    """[id:...] and [tag:...] from comment lines (as Moodle reads them: `\\]` escapes `]`)."""
    joined = "\n".join(comments).replace("\\]", "\ue019")
    found_id = re.findall(r"\[id:([^\]\n]*)\]", joined)
    tags = [t.replace("\ue019", "]").strip() for t in re.findall(r"\[tag:([^\]\n]*)\]", joined)]
    return (found_id[0].replace("\ue019", "]").strip() if found_id else ""), [t for t in tags if t]


def _split_answers(block: str, markers: str) -> list[tuple[str, str]]:
    """[(marker, text)] for each answer that starts with one of `markers`."""
    parts = re.split(f"([{re.escape(markers)}])", block)
    answers = []
    for i in range(1, len(parts), 2):
        answers.append((parts[i], parts[i + 1]))
    if parts[0].strip():
        raise ValueError(f"text before the first answer: {_restore(parts[0])!r}")
    return answers


def _answer_piece(text: str, default_format: str) -> tuple[str, str, str]:
    """(format, answer text, feedback) of one answer."""
    answer, _, feedback = text.partition("#")
    fmt, answer = _format_and_text(answer, default_format)
    _, feedback = _format_and_text(feedback, default_format)
    return fmt, answer, feedback


def _parse_block(block: str, fmt: str) -> tuple[str, list[ChoiceData], str, set[str]]:
    """(kind, choices, explanation, formats seen) of the text between the braces."""
    explanation = ""
    if "####" in block:
        block, explanation = block.rsplit("####", 1)
        _, explanation = _format_and_text(explanation, fmt)
    stripped = block.strip()
    formats: set[str] = set()
    choices: list[ChoiceData] = []
    if stripped.startswith(">"):
        header, *items = stripped.split("\n")
        if not _ORDERING_HEADER.match(header):
            raise ValueError("an ordering question reads {>N ... then one item per line}")
        choices = [ChoiceData(text=_restore(item), order=i) for i, item in enumerate(x for x in items if x.strip())]
        return Question.Kind.ORDERING, choices, explanation, formats
    if not stripped:
        return "essay", [], explanation, formats
    if stripped.startswith("#"):
        return "numerical", [], explanation, formats
    if "~" in stripped:
        single = "=" in stripped
        for i, (marker, text) in enumerate(_split_answers(stripped, "=~")):
            weight = _WEIGHT_RE.match(text)
            fraction = Decimal(1) if marker == "=" else Decimal(0)
            if weight:
                fraction = (Decimal(weight.group(1)) / 100).quantize(Decimal("0.0000001"))
                text = text[weight.end() :]
            piece_format, answer, feedback = _answer_piece(text, fmt)
            formats.add(piece_format)
            choices.append(ChoiceData(_restore(answer), "", fraction, _restore(feedback), i))
        if len(choices) < 2:
            raise ValueError("a multiple-choice question needs at least two answers")
        return (Question.Kind.SINGLE if single else Question.Kind.MULTIPLE), choices, explanation, formats
    if "=" in stripped and "->" in stripped:
        for i, (_, text) in enumerate(_split_answers(stripped, "=")):
            if "->" not in text:
                raise ValueError(f"a matching pair needs '->': {_restore(text)!r}")
            left, right = text.split("->", 1)
            left_format, left = _format_and_text(left, fmt)
            formats.add(left_format)
            choices.append(ChoiceData(_restore(left), _restore(right), Decimal(0), "", i))
        return Question.Kind.MATCHING, choices, explanation, formats
    answer, *feedback = stripped.split("#")
    if answer.strip() in ("T", "TRUE", "F", "FALSE"):
        correct_is_true = answer.strip().startswith("T")
        wrong_feedback = _restore(_format_and_text(feedback[0], fmt)[1]) if feedback else ""
        right_feedback = _restore(_format_and_text(feedback[1], fmt)[1]) if len(feedback) > 1 else ""
        choices = [
            ChoiceData(
                "True", "", Decimal(int(correct_is_true)), right_feedback if correct_is_true else wrong_feedback, 0
            ),
            ChoiceData(
                "False", "", Decimal(int(not correct_is_true)), wrong_feedback if correct_is_true else right_feedback, 1
            ),
        ]
        return Question.Kind.TRUE_FALSE, choices, explanation, formats
    return "shortanswer", [], explanation, formats


def _find_unescaped(text: str, char: str, start: int = 0) -> int:
    return text.find(char, start)  # escapes are placeholders by now


def _parse_question(lines: list[str], line_no: int, category: str, comments: list[str]) -> GiftQuestion | GiftSkipped:
    text = _protect("\n".join(lines))
    title = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            raise ValueError("the title is not closed with '::'")
        title, text = _restore(text[2:end]), text[end + 2 :]
    fmt, text = _format_and_text(text, "html")  # Moodle's default format is its own HTML-ish text
    open_at = _find_unescaped(text, "{")
    close_at = _find_unescaped(text, "}", open_at + 1) if open_at >= 0 else -1
    if open_at < 0 and "}" not in text:
        return GiftSkipped(line_no, "description", title)
    if open_at < 0 or close_at < 0:
        raise ValueError("a question needs one '{' and one '}' (escape others as \\{ \\})")
    before, block, after = text[:open_at], text[open_at + 1 : close_at], text[close_at + 1 :]
    stem = f"{before.rstrip()} _____ {after.lstrip()}" if after.strip() else before
    kind, choices, explanation, formats = _parse_block(block, fmt)
    if kind in ("essay", "numerical", "shortanswer"):
        return GiftSkipped(line_no, kind, title)
    idnumber, tags = _comment_metadata(comments)
    if len(idnumber) > 100:
        raise ValueError("an [id:...] is at most 100 characters")
    stem, explanation = _restore(stem), _restore(explanation)
    if formats - {fmt}:
        # Pieces in several formats: the question becomes HTML. The stem and explanation are converted
        # from their format; the answers are kept as written and sanitized as HTML when shown.
        stem, explanation = render_text(stem, fmt), render_text(explanation, fmt)
        fmt = "html"
    problems = question_problems(kind, choices)
    if problems:
        raise ValueError(" ".join(problems))
    return GiftQuestion(line_no, kind, stem, fmt, title, explanation, category, idnumber, tags, choices)


def parse(text: str) -> GiftParse:
    """Read a GIFT file. Each question or error carries the line it starts on."""
    result = GiftParse()
    if text.startswith("\ufeff"):
        text = text[1:]
    nul_lines = [n for n, line in enumerate(text.splitlines(), start=1) if "\x00" in line]
    if nul_lines:  # text cannot hold one in PostgreSQL; a file with one is not a GIFT file
        result.errors.extend(GiftError(n, "a NUL character is not allowed in GIFT text") for n in nul_lines)
        return result
    category = ""
    block: list[str] = []
    comments: list[str] = []
    start = 0

    def flush() -> None:
        nonlocal category, block, comments
        if block:
            first, line_no = block[0], start
            if first.startswith("$CATEGORY:"):
                category = first[len("$CATEGORY:") :].strip()
                block, line_no = block[1:], start + 1  # a question may follow its category line directly
            if block:
                try:
                    item = _parse_question(block, line_no, category, comments)
                except ValueError as exc:
                    result.errors.append(GiftError(line_no, str(exc)))
                else:
                    (result.questions if isinstance(item, GiftQuestion) else result.skipped).append(item)
        block, comments = [], []

    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("//"):
            comments.append(line)
        else:
            if not block:
                start = number
            block.append(line)
    flush()
    return result


# Writing ---------------------------------------------------------------------------------------


def escape(text: str) -> str:
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _weight(fraction: Decimal) -> str:
    return f"%{(fraction * 100).normalize():f}%"


def _answers(question: GiftQuestion) -> str:
    def with_feedback(text: str, feedback: str) -> str:
        return escape(text) + (f"#{escape(feedback)}" if feedback else "")

    lines = []
    if question.kind == Question.Kind.TRUE_FALSE:
        true = next(c for c in question.choices if c.text.lower() == "true")
        false = next(c for c in question.choices if c.text.lower() == "false")
        right, wrong = (true, false) if true.fraction == 1 else (false, true)
        head = "TRUE" if right is true else "FALSE"
        feedback = f"#{escape(wrong.feedback)}#{escape(right.feedback)}" if (wrong.feedback or right.feedback) else ""
        lines.append(head + feedback)
    elif question.kind == Question.Kind.SINGLE:
        for c in question.choices:
            marker = "=" if c.fraction == 1 else ("~" if c.fraction == 0 else "~" + _weight(c.fraction))
            lines.append(marker + with_feedback(c.text, c.feedback))
    elif question.kind == Question.Kind.MULTIPLE:
        lines.extend("~" + _weight(c.fraction) + with_feedback(c.text, c.feedback) for c in question.choices)
    elif question.kind == Question.Kind.MATCHING:
        lines.extend(f"={escape(c.text)} -> {escape(c.match_text)}" for c in question.choices)
    elif question.kind == Question.Kind.ORDERING:
        items = sorted(question.choices, key=lambda c: c.order)
        lines.append(f">{len(items)} ALL VERTICAL RELATIVE_NEXT_EXCLUDE_LAST SHOW")
        lines.extend(escape(c.text) for c in items)
    if question.explanation:
        lines.append("####" + escape(question.explanation))
    return "\n".join(lines)


def write(questions: list[GiftQuestion]) -> str:
    """GIFT text for `questions`, a `$CATEGORY:` line wherever the category changes."""
    out: list[str] = []
    category = None
    for q in questions:
        if q.category != category:
            category = q.category
            out.append(f"$CATEGORY: {category}\n")
        meta = ([f"[id:{q.idnumber.replace(']', chr(92) + ']')}]"] if q.idnumber else []) + [
            f"[tag:{t}]" for t in q.tags
        ]
        head = f"// {' '.join(meta)}\n" if meta else ""
        title = f"::{escape(q.title)}::" if q.title else ""
        out.append(f"{head}{title}[{q.text_format}]{escape(q.stem)}{{\n{_answers(q)}\n}}\n")
    return "\n".join(out)
