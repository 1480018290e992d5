from zoneinfo import available_timezones

from django import forms

from portal.models import User


class RatingForm(forms.Form):
    code = forms.CharField(max_length=20)
    confidence = forms.TypedChoiceField(choices=[(str(n), str(n)) for n in range(1, 6)], coerce=int)
    shown_at = forms.DateTimeField(required=False)
    module = forms.CharField(max_length=16, required=False)


class LearnerSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=[(z, z) for z in sorted(available_timezones())])

    class Meta:
        model = User
        fields = ["time_zone", "daily_new_cards", "exam_date"]
        widgets = {"exam_date": forms.DateInput(attrs={"type": "date"})}


class ExamDateForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["exam_date"]
        widgets = {"exam_date": forms.DateInput(attrs={"type": "date"})}
