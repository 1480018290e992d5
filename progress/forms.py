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


class LearnerSettingsForm(ExamDateNotPast, forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Your day starts at midnight here.",
        widget=forms.Select(attrs={"data-browser-zone": ""}),  # static/js/site.js offers the browser's zone
    )

    class Meta:
        model = User
        fields = ["time_zone", "daily_new_cards", "exam_date"]
        widgets = {"exam_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices(self.instance.time_zone)


class ExamDateForm(ExamDateNotPast, forms.ModelForm):
    class Meta:
        model = User
        fields = ["exam_date"]
        widgets = {"exam_date": forms.DateInput(attrs={"type": "date"})}
