import functools
from importlib import resources

from django import forms
from django.utils import timezone

from portal.models import User
from progress.selectors import local_today

MORE_MAX = 100  # "study more": at most this many new cards beyond the daily limit, per request


class SessionForm(forms.Form):
    """Where a study session is (one module, or a whole course) and how many new cards beyond the daily
    limit the learner asked for today ("study more")."""

    module = forms.CharField(max_length=16, required=False)
    course = forms.SlugField(max_length=50, required=False)
    more = forms.IntegerField(min_value=0, max_value=MORE_MAX, required=False)


class RatingForm(SessionForm):
    code = forms.CharField(max_length=20)
    confidence = forms.TypedChoiceField(choices=[(str(n), str(n)) for n in range(1, 6)], coerce=int)
    shown_at = forms.DateTimeField(required=False)


@functools.cache
def time_zone_names() -> list[str]:
    """ "UTC", then the tz database's locations in alphabetical order.

    The locations are those of `zone.tab` from the pinned `tzdata` package (requirements.txt), so the
    list is the same on every machine, whatever /usr/share/zoneinfo holds: the file `tzselect` offers
    to pick a place from, one or more per country, by their current names ("Europe/Kyiv",
    "Asia/Kolkata"). It never lists the backward-compatible aliases ("US/Eastern", "Asia/Calcutta",
    "GB"), the POSIX-style and fixed-offset zones ("EST5EDT", "Etc/GMT+5"), or "localtime",
    "posixrules" and "Factory", which `zoneinfo.available_timezones()` mixes in from the system.
    """
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    names = {line.split("\t")[2] for line in text.splitlines() if line.strip() and not line.startswith("#")}
    return ["UTC", *sorted(names)]


def time_zone_choices(current: str | None = None) -> list:
    """UTC, then one <optgroup> per region ("Africa", "America" …), each option named by its place."""
    groups: dict[str, list] = {}
    for name in time_zone_names()[1:]:
        region, _, place = name.partition("/")
        groups.setdefault(region, []).append((name, place.replace("_", " ").replace("/", " / ")))
    choices = [("UTC", "UTC"), *groups.items()]
    if current and current not in time_zone_names():  # an older setting ("US/Eastern") stays shown and valid
        choices.insert(0, (current, f"{current} (your current setting)"))
    return choices


class ExamDateNotPast:
    """An exam date is today or later, in the learner's own day (a date in the past predicts nothing)."""

    def clean_exam_date(self):
        exam_date = self.cleaned_data.get("exam_date")
        if exam_date and exam_date < local_today(self.instance, timezone.now()):
            raise forms.ValidationError("That date has passed: choose the day of your exam, today or later.")
        return exam_date


PLAN_FIELDS = ["recall_target", "daily_budget", "budget_unit"]
PLAN_ERRORS = {
    "recall_target": {
        "min_value": "Choose a recall target from 50%% to 99%%.",  # (%% : these messages take parameters)
        "max_value": "Choose a recall target from 50%% to 99%%.",
        "invalid": "Choose a recall target from 50% to 99%.",
    },
    "daily_budget": {
        "min_value": "Set a daily budget of at least 1 (a card or a minute): with none, nothing can be planned.",
        "max_value": "Set a daily budget of at most 600.",
        "invalid": "Set the daily budget as a whole number.",
    },
}


class PlanSettings:
    """The exam plan's settings (recall target, daily budget and its unit): a form that leaves one out
    keeps the learner's current value; one that gives a bad value gets a clear message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PLAN_FIELDS:
            self.fields[name].required = False

    def _keep(self, name):
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value in (None, "") else value

    def clean_recall_target(self):
        return self._keep("recall_target")

    def clean_daily_budget(self):
        return self._keep("daily_budget")

    def clean_budget_unit(self):
        return self._keep("budget_unit")


class LearnerSettingsForm(PlanSettings, ExamDateNotPast, forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Your day starts at midnight here.",
        widget=forms.Select(attrs={"data-browser-zone": ""}),  # static/js/site.js offers the browser's zone
    )

    class Meta:
        model = User
        fields = ["time_zone", "daily_new_cards", "exam_date", *PLAN_FIELDS]
        widgets = {"exam_date": forms.DateInput(attrs={"type": "date"})}
        error_messages = PLAN_ERRORS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(self.instance.time_zone)


class ExamDateForm(PlanSettings, ExamDateNotPast, forms.ModelForm):
    """The exam date and the plan's settings, on the dashboard."""

    class Meta:
        model = User
        fields = ["exam_date", *PLAN_FIELDS]
        widgets = {"exam_date": forms.DateInput(attrs={"type": "date"})}
        error_messages = PLAN_ERRORS


class ExamOutcomeForm(forms.ModelForm):
    """How the exam went, asked on the dashboard after the exam date (optional)."""

    class Meta:
        model = User
        fields = ["exam_outcome"]
        widgets = {"exam_outcome": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exam_outcome"].required = True
        self.fields["exam_outcome"].choices = User.ExamOutcome.choices
        self.fields["exam_outcome"].error_messages["required"] = "Choose one of the answers (or simply skip it)."
