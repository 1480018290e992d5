from django import forms

from cohorts.models import Cohort


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "inactive_days", "mastery_threshold"]


class CohortCreateForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name"]


class JoinForm(forms.Form):
    code = forms.CharField(label="Join code", max_length=40, help_text="The code your instructor gave you.")
