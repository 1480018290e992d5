import io
import textwrap
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from content.models import Course, Module, Objective, StudiedObjective
from tests.factories import UserFactory

MODULE_FILE = """\
+++
code = "7.1"
title = "Escalation basics"
order = 1
summary = "What escalation is."
+++

## 7.1.1 Describe escalation

- **Functional escalation**: moving an incident laterally
- **Hierarchical escalation**: moving it upwards

## 7.1.2 Identify when to escalate

When you have exhausted your resources.
"""


def write_course(root: Path, files: dict[str, str], slug: str = "demo") -> Path:
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "course.toml").write_text('title = "Demo course"\norder = 1\n')
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text))
    return folder


def load(root: Path) -> str:
    out = io.StringIO()
    call_command("load_course", root=root, bank=root / "no-bank", stdout=out, stderr=out)
    return out.getvalue()


def test_load_course_creates_rows_and_prints_counts(db, tmp_path):
    write_course(tmp_path, {"7.1.md": MODULE_FILE})

    output = load(tmp_path)

    assert "Objectives  2 created, 0 updated, 0 unchanged" in output
    assert "Modules     1 created, 0 updated, 0 unchanged" in output
    objective = Objective.objects.get(code="7.1.1")
    assert objective.prompt == "Describe escalation"
    assert objective.module.code == "7.1"
    assert "<strong>Functional escalation</strong>" in objective.note_html
    assert "Hierarchical escalation: moving it upwards" in objective.note_text


def test_load_course_twice_changes_nothing(db, tmp_path):
    write_course(tmp_path, {"7.1.md": MODULE_FILE})
    load(tmp_path)
    before = list(Objective.objects.values().order_by("pk"))

    output = load(tmp_path)

    assert "Objectives  0 created, 0 updated, 2 unchanged" in output
    assert "Courses     0 created, 0 updated, 1 unchanged" in output
    assert list(Objective.objects.values().order_by("pk")) == before


def test_editing_a_note_updates_the_same_row_and_keeps_learner_data(db, tmp_path):
    folder = write_course(tmp_path, {"7.1.md": MODULE_FILE})
    load(tmp_path)
    objective = Objective.objects.get(code="7.1.2")
    learner = UserFactory()
    StudiedObjective.objects.create(user=learner, objective=objective)

    (folder / "7.1.md").write_text(MODULE_FILE.replace("exhausted your resources", "exhausted your skills"))
    output = load(tmp_path)

    assert "Objectives  0 created, 1 updated, 1 unchanged" in output
    updated = Objective.objects.get(code="7.1.2")
    assert updated.pk == objective.pk
    assert "exhausted your skills" in updated.note_html
    assert StudiedObjective.objects.filter(user=learner, objective=updated).exists()


HEAD = '+++\ncode = "7.1"\ntitle = "T"\norder = 1\nsummary = "S"\n+++\n'  # six lines of front matter


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("code = 1\n", 1, "must start with a '+++' line"),
        ("+++\ncode = \"7.1\"\n", 1, "never closed"),
        ("+++\ncode = \"7.1\"\ntitle = \n+++\n", 3, "invalid TOML"),
        ("+++\ncode = \"7.1\"\ntitle = \"T\"\norder = 1\n+++\n## 7.1.1 P\n\nNote\n", 1, "missing key(s): summary"),
        (HEAD.replace('summary = "S"\n', 'summary = "S"\ncolour = "red"\n'), 1, "unknown key(s): colour"),
        ('+++\ncode = "7.1"\ntitle = "T"\norder = "one"\nsummary = "S"\n+++\n', 1, "'order' must be a whole number"),
        (HEAD + 'Stray text\n## 7.1.1 P\nN\n', 7, "text before"),
        (HEAD + '\n## 8.1.1 Wrong module\nN\n', 8, "must start with '7.1.'"),
        (HEAD + '## 7.1.1 P\nN\n## 7.1.1 Q\nM\n', 9, "appears twice"),
        (HEAD + '## 7.1.1 P\n\n## 7.1.2 Q\nM\n', 7, "has no note"),
        (HEAD + '## 7.1.1\nN\n', 7, "'## <code> <prompt>'"),
        (HEAD + '\n', 7, "no objectives"),
    ],
)  # fmt: skip
def test_malformed_file_is_rejected_with_its_line_and_nothing_loaded(db, tmp_path, text, line, message):
    write_course(tmp_path, {"7.1.md": text, "7.2.md": MODULE_FILE.replace("7.1", "7.2")})
    out = io.StringIO()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_course", root=tmp_path, bank=tmp_path / "no-bank", stdout=out, stderr=out)

    path = tmp_path / "demo" / "7.1.md"
    assert f"{path}:{line}:" in out.getvalue()
    assert message in out.getvalue()
    assert not Module.objects.filter(code="7.1").exists()
    assert not Objective.objects.filter(code__startswith="7.1.").exists()
    assert Objective.objects.filter(code__startswith="7.2.").count() == 2  # the good file still loads


def test_malformed_edit_leaves_the_loaded_module_as_it_was(db, tmp_path):
    folder = write_course(tmp_path, {"7.1.md": MODULE_FILE})
    load(tmp_path)
    (folder / "7.1.md").write_text(
        MODULE_FILE.replace("Describe escalation", "Changed").replace("## 7.1.2 ", "## 9.9 ")
    )

    with pytest.raises(CommandError):
        load(tmp_path)

    assert Objective.objects.get(code="7.1.1").prompt == "Describe escalation"


def test_objective_code_defined_in_two_files_is_an_error_naming_both(db, tmp_path):
    duplicate = MODULE_FILE.replace('code = "7.1"', 'code = "7.1"', 1).replace("order = 1", "order = 2")
    write_course(tmp_path, {"7.1.md": MODULE_FILE, "7.1-copy.md": duplicate})
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("load_course", root=tmp_path, bank=tmp_path / "no-bank", stdout=out, stderr=out)

    assert "is already defined in" in out.getvalue()
    assert Module.objects.count() == 1


def test_malformed_course_file_is_reported(db, tmp_path):
    folder = write_course(tmp_path, {"7.1.md": MODULE_FILE})
    (folder / "course.toml").write_text('title = "Demo"\norder = "first"\n')
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("load_course", root=tmp_path, bank=tmp_path / "no-bank", stdout=out, stderr=out)

    assert f"{folder / 'course.toml'}:1: 'order' must be a whole number" in out.getvalue()
    assert not Course.objects.exists()


def test_objective_removed_from_the_files_is_kept_and_reported(db, tmp_path):
    folder = write_course(tmp_path, {"7.1.md": MODULE_FILE})
    load(tmp_path)
    (folder / "7.1.md").write_text(MODULE_FILE.split("## 7.1.2")[0])

    output = load(tmp_path)

    assert "no longer in any file" in output
    assert "7.1.2" in output
    assert Objective.objects.filter(code="7.1.2").exists()


def test_markdown_is_sanitized_when_loaded(db, tmp_path):
    hostile = MODULE_FILE.replace(
        "When you have exhausted your resources.",
        '<script>alert(1)</script> [click](javascript:alert(1)) <img src=x onerror="alert(1)">',
    )
    write_course(tmp_path, {"7.1.md": hostile})

    load(tmp_path)

    html = Objective.objects.get(code="7.1.2").note_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text, never run
    assert "<script" not in html
    assert "<img" not in html
    assert "href" not in html
