import io

from django.core.management import call_command

from cohorts.models import Cohort, Membership
from progress.models import ReviewEvent
from quizzes.models import Attempt


def test_load_demo_makes_the_demo_cohort_once_with_varied_histories(question_bank):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    counts = (Membership.objects.count(), ReviewEvent.objects.count(), Attempt.objects.count())
    call_command("load_demo", stdout=io.StringIO())

    cohort = Cohort.objects.get(name="Demo cohort")
    assert cohort.instructors.get().email == "instructor@example.com"
    assert cohort.memberships.filter(user__email="learner@example.com").exists()
    assert cohort.memberships.count() == 9
    assert (Membership.objects.count(), ReviewEvent.objects.count(), Attempt.objects.count()) == counts  # idempotent
    assert Attempt.objects.filter(state=Attempt.State.IN_PROGRESS).count() == 0
    assert "log in as instructor@example.com and open /cohorts/" in out.getvalue()


def test_the_demo_cohort_report_shows_each_flag(client, question_bank):
    from django.utils import timezone

    from cohorts.selectors import cohort_overview

    call_command("load_demo", stdout=io.StringIO())
    rows = cohort_overview(cohort=Cohort.objects.get(name="Demo cohort"), now=timezone.now()).rows

    assert any(r.inactive for r in rows) and any(r.stuck for r in rows) and any(r.at_risk for r in rows)
    assert any(not r.flagged for r in rows)
