"""How the reports show their numbers: colour bands, sortable headers, the activity chart, CSV rows."""

from datetime import date, datetime
from functools import cache
from urllib.parse import urlencode
from uuid import UUID

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cohorts.selectors import Overview
from quizzes import statistics
from quizzes.selectors import QuizReport

# Colour bands of a percentage (the same cut-offs as the dashboard's mastery meter: low 50, high 80).
BANDS = [(80, "level-high"), (50, "level-mid"), (0, "level-low")]


def level_class(value: int | None) -> str:
    if value is None:
        return "level-none"
    return next(name for floor, name in BANDS if value >= floor)


@cache
def _mastery_cell(value: int) -> str:
    return f'<td class="num {level_class(value)}">{value}%</td>'


@cache
def _quiz_cell(value: int | None) -> str:
    text = '—<span class="visually-hidden"> not taken</span>' if value is None else f"{value}%"
    return f'<td class="num {level_class(value)}">{text}</td>'


_ANY_UUID = UUID(int=0)
_NO_READINESS = '<td class="level-none">—<span class="visually-hidden"> no exam date</span></td>'


def _offset(moment: datetime) -> str:
    """The `O` of Django's date format ("+0200"), empty where the local time is ambiguous or imaginary
    (a clock change), as `django.utils.dateformat` leaves it."""
    zone = moment.tzinfo
    if zone.utcoffset(moment.replace(fold=not moment.fold)) != zone.utcoffset(moment):
        return ""
    offset = zone.utcoffset(moment)
    seconds = offset.days * 86400 + offset.seconds
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    return "%s%02d%02d" % (sign, seconds // 3600, (seconds // 60) % 60)  # noqa: UP031 (dateformat's own)


class _Dates:
    """The overview's dates as its template printed them (the `date` filter, in the current time zone),
    each distinct day formatted once: `{{ d|date:"j M Y" }}` and `{{ t|date:"Y-m-d\\TH:i:sO" }}`."""

    def __init__(self):
        self.days: dict[date, str] = {}

    def day(self, day: date) -> str:
        text = self.days.get(day)
        if text is None:
            text = self.days[day] = date_filter(day, "j M Y")
        return text

    def time_tag(self, moment: datetime) -> str:
        local = timezone.localtime(moment)
        stamp = (
            f"{local.year:04d}-{local.month:02d}-{local.day:02d}T{local.hour:02d}:{local.minute:02d}:"
            f"{local.second:02d}{_offset(local)}"
        )
        return f'<time datetime="{stamp}">{self.day(local.date())}</time>'


def _flags_html(row) -> str:
    parts = []
    if row.inactive:
        parts.append('<span class="flag">inactive</span> ')
    if row.stuck:
        parts.append(f'<span class="flag">stuck: {", ".join(escape(m.code) for m in row.stuck_modules)}</span> ')
    if row.at_risk:
        parts.append('<span class="flag">at risk</span>')
    return "".join(parts) if parts else "none"


def overview_rows(*, overview: Overview) -> None:
    """Give each row of the overview its HTML (`html`: the cells of its `<tr>`), made once here: 500
    learners × (5 + 32) cells went through the template language one variable and one filter at a
    time, and that was most of the page's time. The markup is the template's, byte for byte
    (tests/cohorts/test_reports.py renders the template's row for comparison): the learner's email
    and the module codes escaped as the template escapes them, the dates through the `date` filter's
    formats (`_Dates`), each distinct module cell (an integer and fixed text: its colour class, "%",
    "not taken") built once and reused, and the learner links from one `reverse` with the
    membership's UUID put in its place."""
    pattern = reverse("cohorts:learner", kwargs={"uuid": overview.cohort.uuid, "membership": _ANY_UUID})
    any_uuid = str(_ANY_UUID)
    dates = _Dates()
    for row in overview.rows:
        url = pattern.replace(any_uuid, str(row.membership.uuid))
        activity = dates.time_tag(row.last_activity) if row.last_activity else "never"
        exam = dates.day(row.exam_date) if row.exam_date else "not set"
        readiness = (
            _NO_READINESS
            if row.readiness is None
            else f'<td class="{level_class(row.readiness)}">{row.readiness}%</td>'
        )
        cells = "".join(_mastery_cell(m) + _quiz_cell(q) for m, q in zip(row.mastery, row.best_quiz, strict=True))
        row.html = mark_safe(  # noqa: S308 (the email and the codes escaped; the rest integers and fixed text)
            f'<th scope="row"><a href="{url}">{escape(row.user.email)}</a></th>\n'
            f"      <td>{_flags_html(row)}</td>\n"
            f"      <td>{activity}</td>\n"
            f"      <td>{exam}</td>\n"
            f"      {readiness}\n"
            f"      {cells}"
        )


def sort_link(*, column: str, sort: str, direction: str, flagged: bool) -> dict:
    """A header's link (ascending first, then the other way) and its aria-sort."""
    current = column == sort
    next_dir = "desc" if current and direction == "asc" else "asc"
    params = {"sort": column, "dir": next_dir, **({"flagged": "1"} if flagged else {})}
    return {
        "url": "?" + urlencode(params),
        "aria_sort": ("ascending" if direction == "asc" else "descending") if current else "none",
        "current": current,
    }


def overview_headers(*, overview: Overview, sort: str, direction: str, flagged: bool) -> dict:
    def link(column: str) -> dict:
        return sort_link(column=column, sort=sort, direction=direction, flagged=flagged)

    return {
        "fixed": {name: link(name) for name in ("learner", "flags", "activity", "exam", "readiness")},
        "modules": [
            {"module": m, "mastery": link(f"mastery-{m.code}"), "quiz": link(f"quiz-{m.code}")}
            for m in overview.modules
        ],
    }


def flags_text(row) -> str:
    parts = []
    if row.inactive:
        parts.append("inactive")
    if row.stuck:
        parts.append("stuck: " + ", ".join(m.code for m in row.stuck_modules))
    if row.at_risk:
        parts.append("at risk")
    return "; ".join(parts)


def overview_csv(*, overview: Overview) -> tuple[list[str], list[list]]:
    """The overview's table as CSV: the same numbers, the same order."""
    header = ["Learner", "Flags", "Last activity", "Exam date", "Readiness %", "Due now"]
    for m in overview.modules:
        header += [f"{m.code} mastery %", f"{m.code} best quiz %"]
    rows = []
    for row in overview.rows:
        line = [
            row.user.email,
            flags_text(row),
            timezone.localtime(row.last_activity).isoformat(timespec="minutes") if row.last_activity else "",
            row.exam_date.isoformat() if row.exam_date else "",
            row.readiness,
            row.due_now,
        ]
        for mastery, best_quiz in zip(row.mastery, row.best_quiz, strict=True):
            line += [mastery, best_quiz]
        rows.append(line)
    rows.append(
        ["Average", "", "", "", "", ""] + [v for a in overview.averages for v in (a["mastery"], a["best_quiz"])]
    )
    return header, rows


CHART_HEIGHT = 100
BAR_STEP = 10


def activity_chart(*, activity: list[dict], peak: int) -> list[dict]:
    """Bars for the server-rendered SVG: x, y and height as attributes (no inline style)."""
    bars = []
    for i, day in enumerate(activity):
        height = round((CHART_HEIGHT - 10) * day["reviews"] / peak) if peak else 0
        bars.append({**day, "x": i * BAR_STEP + 1, "y": CHART_HEIGHT - height, "height": height})
    return bars


# The thresholds each flag uses, written on the page (docs/item-statistics.md says where they come from).
STATISTICS_THRESHOLDS = {
    "too_easy": round(statistics.FACILITY_TOO_EASY * 100),
    "too_hard": round(statistics.FACILITY_TOO_HARD * 100),
    "discrimination": round(statistics.DISCRIMINATION_MIN),
    "efficiency": round(statistics.DISCRIMINATIVE_EFFICIENCY_MIN),
}


def _pct(value: float | None, scale: float = 1) -> str:
    return "" if value is None else f"{value * scale:.1f}"


def statistics_rows(*, report: QuizReport) -> list[dict]:
    """One row per question, hardest first: the numbers as the page prints them (one decimal, % where
    Moodle's report shows %), its flags and its option shares."""
    rows = []
    for q in sorted(report.questions, key=lambda q: (q.stats.facility is None, q.stats.facility or 0)):
        st = q.stats
        rows.append(
            {
                "question": q,
                "attempts": st.attempts,
                "facility": _pct(st.facility, 100),
                "sd": _pct(st.sd_fraction, 100),
                "guess": _pct(st.random_guess_score, 100),
                "intended": _pct(st.intended_weight),
                "effective": _pct(st.effective_weight),
                "discrimination": _pct(st.discrimination_index),
                "efficiency": _pct(st.discriminative_efficiency),
                "flags": q.flags,
                "options": q.options,
                "confidently_wrong": q.confidently_wrong,
            }
        )
    return rows


STATISTICS_CSV_HEADER = [
    "question id", "objective", "question", "kind", "attempts", "facility index %", "standard deviation %",
    "random guess score %", "intended weight %", "effective weight %", "discrimination index %",
    "discriminative efficiency %", "confidently wrong (learners)", "flags",
]  # fmt: skip


def statistics_csv(*, report: QuizReport) -> tuple[list[str], list[list]]:
    """The per-question table of the page, the same numbers, one row per question."""
    keys = ["attempts", "facility", "sd", "guess", "intended", "effective", "discrimination", "efficiency",
            "confidently_wrong"]  # fmt: skip
    rows = [
        [r["question"].question_id, r["question"].objective_code, r["question"].stem, r["question"].kind]
        + [r[k] for k in keys]
        + ["; ".join(r["flags"])]
        for r in statistics_rows(report=report)
    ]
    return STATISTICS_CSV_HEADER, rows
