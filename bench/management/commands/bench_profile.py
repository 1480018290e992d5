import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.test import Client
from pyinstrument import Profiler

from portal.models import User


class Command(BaseCommand):
    help = (
        "Profile endpoints of the benchmark's data set one request at a time (the full middleware, through "
        "Django's test client) with pyinstrument: the mean time and where it goes (docs/performance.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dataset", type=Path, default=Path("bench/.data/postgresql/dataset.json"))
        parser.add_argument("--repeat", type=int, default=10)
        parser.add_argument("--lines", type=int, default=40, help="Lines of each profile to print.")
        parser.add_argument("endpoints", nargs="*", default=["dashboard", "question page", "answer", "cohort overview"])

    def handle(self, *args, dataset: Path, repeat: int, lines: int, endpoints: list[str], **options):
        info = json.loads(dataset.read_text())
        learner = next(x for x in info["learners"][250:] if x["exam"] and x["result"])
        exam = f"/attempts/{learner['exam']}/3/"
        requests = {
            "dashboard": ("get", "/", learner["email"]),
            "study": ("get", "/study/", learner["email"]),
            "question page": ("get", exam, learner["email"]),
            "answer": ("post", exam, learner["email"]),
            "result page": ("get", f"/attempts/{learner['result']}/result/", learner["email"]),
            "cohort overview": ("get", f"/cohorts/{info['cohort']}/", info["instructor"]),
            "cohort CSV": ("get", f"/cohorts/{info['cohort']}/overview.csv", info["instructor"]),
        }
        starters = iter(x["email"] for x in info["learners"][300:] if not x["exam"])
        for name in endpoints:
            if name == "exam start":  # a learner's first start of the final exam: one learner a request
                self._exam_starts(starters, repeat, lines)
                continue
            method, path, email = requests[name]
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(User.objects.get(email=email))
            data = {}
            if method == "post":
                page = client.get(path).content.decode()
                key = page.split('name="choice" value="', 1)[1].split('"', 1)[0] if 'name="choice"' in page else ""
                data = {"choice": key}
            call = getattr(client, method)
            call(path, data, headers={"HX-Request": "true"}) if data else call(path)  # warm
            profiler = Profiler(interval=0.0005)
            began = time.perf_counter()
            with profiler:
                for _ in range(repeat):
                    response = call(path, data, headers={"HX-Request": "true"}) if data else call(path)
            mean = (time.perf_counter() - began) / repeat * 1000
            self.stdout.write(f"\n=== {name} {method.upper()} {path}: {response.status_code}, {mean:.1f} ms a request")
            text = profiler.output_text(unicode=True, color=False)
            self.stdout.write("\n".join(text.splitlines()[:lines]))

    def _exam_starts(self, starters, repeat: int, lines: int) -> None:
        clients = []
        for _ in range(repeat):
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(User.objects.get(email=next(starters)))
            # A new test client builds the middleware on its first request, WhiteNoise's scan of the static
            # files included: about half of what a start measured here. A server builds it once per worker.
            client.get("/healthz")
            clients.append(client)
        profiler = Profiler(interval=0.0005)
        began = time.perf_counter()
        with profiler:
            statuses = [client.post("/quizzes/final-exam/start/").status_code for client in clients]
        mean = (time.perf_counter() - began) / repeat * 1000
        self.stdout.write(f"\n=== exam start POST /quizzes/final-exam/start/: {statuses[0]}, {mean:.1f} ms a request")
        self.stdout.write("\n".join(profiler.output_text(unicode=True, color=False).splitlines()[:lines]))
