"""Reading course text files (docs/content-format.md) into plain data, with no database access.

Errors name the file and the line, so an author can find what to fix.
"""

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

FRONT_MATTER_FENCE = "+++"
MODULE_KEYS_REQUIRED = {"code", "title", "order", "summary"}
MODULE_KEYS_OPTIONAL = {"source"}
COURSE_KEYS_REQUIRED = {"title", "order"}
COURSE_KEYS_OPTIONAL = {"description"}
CODE_RE = re.compile(r"^[A-Za-z0-9]+(?:\.[0-9]+)+$")
HEADING_RE = re.compile(r"^##\s+(?P<code>\S+)\s+(?P<prompt>\S.*?)\s*$")
TOML_LINE_RE = re.compile(r"\(at line (\d+), column \d+\)")


class ContentError(Exception):
    """A content file that cannot be loaded; `str()` reads `path:line: message`."""

    def __init__(self, path: Path, line: int, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}")


@dataclass(frozen=True)
class ObjectiveData:
    code: str
    prompt: str
    note_md: str
    order: int
    line: int


@dataclass(frozen=True)
class ModuleData:
    path: Path
    code: str
    title: str
    order: int
    summary: str
    source: str
    objectives: list[ObjectiveData] = field(default_factory=list)


@dataclass(frozen=True)
class CourseData:
    slug: str
    title: str
    order: int
    description: str


def _read_toml(path: Path, text: str, first_line: int) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = TOML_LINE_RE.search(str(exc))
        last_line = first_line + text.count("\n") - 1
        line = first_line + int(match.group(1)) - 1 if match else last_line
        raise ContentError(path, line, f"invalid TOML: {TOML_LINE_RE.sub('', str(exc)).strip()}") from exc


def _check_keys(path: Path, line: int, data: dict, required: set[str], optional: set[str]) -> None:
    if missing := sorted(required - data.keys()):
        raise ContentError(path, line, f"missing key(s): {', '.join(missing)}")
    if unknown := sorted(data.keys() - required - optional):
        raise ContentError(path, line, f"unknown key(s): {', '.join(unknown)}")
    for key, value in data.items():
        expected = int if key == "order" else str
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ContentError(path, line, f"'{key}' must be {'a whole number' if expected is int else 'a string'}")
        if expected is str and not value.strip() and key in required:
            raise ContentError(path, line, f"'{key}' must not be empty")


def parse_course_file(path: Path) -> CourseData:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(path, 1, "the file is not UTF-8 text") from exc
    data = _read_toml(path, text, first_line=1)
    _check_keys(path, 1, data, COURSE_KEYS_REQUIRED, COURSE_KEYS_OPTIONAL)
    return CourseData(
        slug=path.parent.name,
        title=data["title"].strip(),
        order=data["order"],
        description=" ".join(data.get("description", "").split()),
    )


def parse_module_file(path: Path) -> ModuleData:
    """Parse one module file; raise ContentError at the first problem."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ContentError(path, 1, "the file is not UTF-8 text") from exc
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise ContentError(path, number, "a NUL character is not allowed in course text")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise ContentError(path, 1, f"the file must start with a '{FRONT_MATTER_FENCE}' line (front matter)")
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise ContentError(path, 1, f"the front matter is never closed with a '{FRONT_MATTER_FENCE}' line") from None

    meta = _read_toml(path, "\n".join(lines[1:close]) + "\n", first_line=2)
    _check_keys(path, 1, meta, MODULE_KEYS_REQUIRED, MODULE_KEYS_OPTIONAL)
    module_code = meta["code"].strip()
    if not CODE_RE.match(module_code):
        raise ContentError(path, 1, f"module code {module_code!r} is not like '5.13'")

    objectives: list[ObjectiveData] = []
    current: dict | None = None
    seen: dict[str, int] = {}

    def finish(end_line: int) -> None:
        note = "\n".join(current["body"]).strip("\n")
        if not note.strip():
            raise ContentError(path, current["line"], f"objective {current['code']} has no note")
        objectives.append(
            ObjectiveData(
                code=current["code"],
                prompt=current["prompt"],
                note_md=note + "\n",
                order=len(objectives) + 1,
                line=current["line"],
            )
        )

    for index in range(close + 1, len(lines)):
        line_no, text = index + 1, lines[index]
        if text.startswith("## "):
            heading = HEADING_RE.match(text)
            if not heading:
                raise ContentError(path, line_no, "an objective heading reads '## <code> <prompt>'")
            code, prompt = heading["code"], heading["prompt"]
            if not CODE_RE.match(code) or not code.startswith(module_code + "."):
                raise ContentError(path, line_no, f"objective code {code!r} must start with '{module_code}.'")
            if code in seen:
                raise ContentError(path, line_no, f"objective {code} appears twice (first at line {seen[code]})")
            if current:
                finish(line_no)
            seen[code] = line_no
            current = {"code": code, "prompt": prompt, "line": line_no, "body": []}
        elif current is not None:
            current["body"].append(text)
        elif text.strip():
            raise ContentError(path, line_no, "text before the first '## <code> <prompt>' heading")
    if current is None:
        raise ContentError(
            path, min(close + 2, len(lines)), "the module has no objectives ('## <code> <prompt>' headings)"
        )
    finish(len(lines))

    return ModuleData(
        path=path,
        code=module_code,
        title=meta["title"].strip(),
        order=meta["order"],
        summary=" ".join(meta["summary"].split()),
        source=meta.get("source", "").strip(),
        objectives=objectives,
    )
