"""Render the main pages, as the demo learner and the demo instructor see them, into HTML files.

`make audit` runs it against a scratch database (migrate, load_course, load_demo) and passes the files
to the Nu HTML validator. The pages go through the whole stack (middleware, views, templates) by
Django's test client; a page that does not answer 200 stops the command. Taking a quiz writes an
attempt, so never point it at a database that matters: it refuses with DJANGO_PRODUCTION on.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from cohorts.models import Cohort
from home.services import DEMO_COHORT
from portal.models import User
from quizzes.models import Attempt, Quiz

LEARNER, INSTRUCTOR = "learner@example.com", "instructor@example.com"


class Command(BaseCommand):
    help = "Render the main pages as the demo learner and instructor into DIR (for the HTML validator)."

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path)

    def handle(self, *args, dir: Path, **options):
        if settings.PRODUCTION:
            raise CommandError("render_pages takes a quiz as the demo learner: not run with DJANGO_PRODUCTION on.")
        cohort = Cohort.objects.filter(name=DEMO_COHORT).first()
        if cohort is None or not User.objects.filter(email=LEARNER).exists():
            raise CommandError("No demo data: run manage.py load_course and manage.py load_demo first.")
        dir.mkdir(parents=True, exist_ok=True)
        self.dir, self.count = dir, 0

        visitor = Client()
        self.page(visitor, "landing", "/")
        self.page(visitor, "sign-in", "/accounts/login/")
        self.page(visitor, "sign-up", "/accounts/signup/")
        self.page(visitor, "password-reset", "/accounts/password/reset/")

        learner = self.signed_in(LEARNER)
        for name, url in [
            ("dashboard", "/"),
            ("course", "/courses/process-and-procedures/"),
            ("module", "/modules/5.1/"),
            ("objective", "/objectives/5.1.1/"),
            ("search", "/search/?q=escalation"),
            ("study", "/study/"),
            ("quiz-list", "/quizzes/"),
            ("quiz", "/quizzes/module-5-1/"),
            ("settings", "/settings/"),
            ("my-data", "/my-data/"),
            ("my-data-delete", "/my-data/delete/"),
            ("my-cohorts", "/my-cohorts/"),
            ("email", "/accounts/email/"),
            ("password-change", "/accounts/password/change/"),
        ]:
            self.page(learner, name, url)
        quiz = Quiz.objects.get(slug="module-5-1")
        started = learner.post(f"/quizzes/{quiz.slug}/start/")
        if started.status_code != 302:
            raise CommandError(f"Starting {quiz.slug} answered {started.status_code}")
        attempt = Attempt.objects.filter(user__email=LEARNER, quiz=quiz, state=Attempt.State.IN_PROGRESS).get()
        self.page(learner, "question", started.url)
        self.page(learner, "attempt-summary", f"/attempts/{attempt.uuid}/summary/")
        learner.post(f"/attempts/{attempt.uuid}/submit/", {"confirm_unanswered": "1"})
        self.page(learner, "result", f"/attempts/{attempt.uuid}/result/")
        self.page(learner, "not-found", "/modules/0.0/", status=404)

        instructor = self.signed_in(INSTRUCTOR)
        membership = cohort.memberships.exclude(user__email=LEARNER).order_by("joined_at", "pk").first()
        taken = Attempt.objects.filter(user=membership.user, state=Attempt.State.FINISHED).first()
        base = f"/cohorts/{cohort.uuid}"
        for name, url in [
            ("cohort-list", "/cohorts/"),
            ("cohort-overview", f"{base}/"),
            ("learner-report", f"{base}/learners/{membership.uuid}/"),
            ("learner-attempt", f"{base}/learners/{membership.uuid}/attempts/{taken.uuid}/"),
            ("statistics", f"{base}/quizzes/{taken.quiz.slug}/"),
        ]:
            self.page(instructor, name, url)
        self.stdout.write(f"{self.count} pages written to {dir}")

    def signed_in(self, email: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(email=email))
        return client

    def page(self, client: Client, name: str, url: str, status: int = 200) -> None:
        response = client.get(url)
        if response.status_code != status:
            raise CommandError(f"{url} answered {response.status_code}, not {status}")
        (self.dir / f"{name}.html").write_bytes(response.content)
        self.count += 1
