from zoneinfo import available_timezones

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


class LearnerSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=[(z, z) for z in sorted(available_timezones())])

    class Meta:
        model = User
        fields = ["time_zone", "daily_new_cards", "exam_date"]
        widgets = {"exam_date": forms.DateInput(attrs={"type": "date"})}


class ExamDateNotPast:
    """An exam date is today or later, in the learner's own day (a date in the past predicts nothing)."""

    def clean_exam_date(self):
        exam_date = self.cleaned_data.get("exam_date")
        if exam_date and exam_date < local_today(self.instance, timezone.now()):
            raise forms.ValidationError("That date has passed: choose the day of your exam, today or later.")
        return exam_date


class ExamDateForm(ExamDateNotPast, forms.ModelForm):
    class Meta:
        model = User
        fields = ["exam_date"]
        widgets = {"exam_date": forms.DateInput(attrs={"type": "date"})}
