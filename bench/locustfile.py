"""The benchmark's load (docs/performance.md), run by bench/run.py, one locust process per phase.

Every simulated user is its own learner of the data set (bench/builder.py), signed in by a session
that `manage.py bench_sessions` wrote before the run: the user sets the session cookie (and a CSRF
cookie with its matching header) instead of posting the login form. Learners are handed out from
BENCH_LEARNERS ("first:last" of the data set's list) and never twice in one process, so a user that
locust starts later gets a learner of its own: no learner starts the final exam twice, and each
has at most one attempt in progress per quiz.

Environment: BENCH_DATASET and BENCH_SESSIONS (the builder's JSON files), BENCH_LEARNERS,
BENCH_HISTORY_ONLY (only learners with a finished attempt),
BENCH_ENDPOINT (EndpointUser: which endpoint), BENCH_QUERIES_OUT (where the queries per request
read from the X-Bench-Queries header are written when locust quits).
"""

import itertools
import json
import os
import random
import re
from collections import Counter, defaultdict
from http.cookiejar import Cookie
from pathlib import Path

import gevent
from locust import FastHttpUser, between, constant, events, task
from locust.exception import StopUser

HERE = Path(__file__).resolve().parent
DATASET = json.loads(Path(os.environ.get("BENCH_DATASET", HERE / ".data" / "dataset.json")).read_text())
SESSIONS = json.loads(Path(os.environ.get("BENCH_SESSIONS", HERE / ".data" / "sessions.json")).read_text())
_first, _last = (int(n) for n in os.environ.get("BENCH_LEARNERS", f"0:{len(DATASET['learners'])}").split(":"))
LEARNERS = iter(
    [
        learner
        for learner in DATASET["learners"][_first:_last]
        if learner["result"] or not os.environ.get("BENCH_HISTORY_ONLY")  # with a finished attempt
    ]
)
CSRF = "benchcsrftoken0123456789abcdefgh"  # 32 characters: Django accepts the unmasked secret
HTMX = {"HX-Request": "true"}
FINAL = "final-exam"

QUERIES: dict[str, list[int]] = defaultdict(list)  # request name → the query count of each response


@events.request.add_listener
def _count_queries(name, response, exception, **kwargs):
    header = response.headers.get("X-Bench-Queries") if response is not None and response.headers else None
    if header is not None:
        QUERIES[name].append(int(header))


@events.quitting.add_listener
def _write_queries(environment, **kwargs):
    out = os.environ.get("BENCH_QUERIES_OUT")
    if out:
        Path(out).write_text(
            json.dumps(
                {  # the mean, and the most common count (without the session's once-a-minute write)
                    name: {"mean": sum(c) / len(c), "mode": Counter(c).most_common(1)[0][0]}
                    for name, c in QUERIES.items()
                    if c
                }
            )
        )


def _cookie(name: str, value: str) -> Cookie:
    return Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {})


def _answer(page: str) -> dict:
    """A valid answer to the question on `page` (right or wrong: the grade does not matter here)."""
    if keys := re.findall(r'name="choice" value="([^"]+)"', page):
        return {"choice": random.choice(keys)}
    if keys := re.findall(r'name="choices" value="([^"]+)"', page):
        return {"choices": random.choice(keys)}
    if pairs := re.findall(r'name="(pair-[^"]+)"', page):
        answers = [v for v in re.findall(r'<option value="([^"]*)"', page) if v]
        return {pair: random.choice(answers) for pair in pairs}
    items = re.findall(r'name="(position-[^"]+)"', page)
    return {item: str(n) for n, item in enumerate(random.sample(items, len(items)), start=1)}


class Learner(FastHttpUser):
    """A signed-in learner of the data set (abstract: the phases below say what it does).

    Locust releases the users of each second together (its dispatcher starts floor(spawn rate)
    users at the same instant, then waits a second): 20 learners of a class would press "Start" in
    the same millisecond, every second. People do not: a learner arrives at a random moment of the
    second locust released it in, so that arrivals are spread evenly over the ramp (200 within 10 s
    at 20 a second). The closed-loop throughput phase starts at once (`spread_arrivals` off)."""

    abstract = True
    spread_arrivals = True

    def on_start(self):
        try:
            self.learner = next(LEARNERS)
        except StopIteration:
            raise StopUser() from None  # every learner of this phase is taken: never reuse one
        self.sign_in(self.learner["email"])
        if self.spread_arrivals:
            gevent.sleep(random.random())

    def sign_in(self, email: str):
        self.client.cookiejar.set_cookie(_cookie("sessionid", SESSIONS[email]))
        self.client.cookiejar.set_cookie(_cookie("csrftoken", CSRF))

    def post(self, url: str, data: dict, name: str, htmx: bool = False, **kwargs):
        headers = {"X-CSRFToken": CSRF, "Referer": self.host + url, **(HTMX if htmx else {})}
        return self.client.post(url, data=data, headers=headers, name=name, allow_redirects=False, **kwargs)

    def start_quiz(self, slug: str, name: str) -> str | None:
        """Start (or continue) the learner's attempt at `slug`: the URL of its first open question."""
        response = self.post(f"/quizzes/{slug}/start/", {}, name)
        location = response.headers.get("Location", "") if response.status_code == 302 else ""
        return location if "/attempts/" in location else None

    def answer(self, question_url: str, page: str, name: str, go: str = "") -> None:
        data = {**_answer(page), **({"go": go} if go else {})}
        self.post(question_url, data, name, htmx=True)


class EndpointUser(Learner):
    """The throughput phase: one endpoint (BENCH_ENDPOINT), closed loop, no think time."""

    wait_time = constant(0)
    spread_arrivals = False

    def on_start(self):
        self.endpoint = os.environ["BENCH_ENDPOINT"]
        if self.endpoint.startswith("instructor:"):
            self.sign_in(DATASET["instructor"])
            return
        super().on_start()
        if self.endpoint in ("question page", "answer (htmx, deferred exam)"):  # the exam the builder started
            self.question_url = f"/attempts/{self.learner['exam']}/{1 + self.learner_index() % 50}/"
            self.page = self.client.get(self.question_url, name="setup: question page").text or ""
        self.cards = itertools.cycle(DATASET["objectives"][self.learner_index() % 7 :: 7])

    def learner_index(self) -> int:
        return int(self.learner["email"][7:11])

    @task
    def hit(self):
        d, e = DATASET, self.endpoint
        paths = {
            "baseline": "/bench/baseline/",
            "reference: layout": "/bench/layout/",
            "reference: layout + 2 queries": "/bench/floor/",
            "dashboard": "/",
            "course": f"/courses/{d['course']}/",
            "module": f"/modules/{d['module']}/",
            "objective": f"/objectives/{d['objective']}/",
            "search": "/search/?q=escalation",
            "study": "/study/",
            "quiz list": "/quizzes/",
            "result page": f"/attempts/{self.learner.get('result')}/result/" if hasattr(self, "learner") else "",
            "instructor: cohort overview": f"/cohorts/{d['cohort']}/",
            "instructor: a learner": f"/cohorts/{d['cohort']}/learners/{d['report_membership']}/",
            "instructor: quiz statistics": f"/cohorts/{d['cohort']}/quizzes/{d['statistics_quiz']}/",
            "instructor: cohort CSV": f"/cohorts/{d['cohort']}/overview.csv",
        }
        if e == "question page":
            self.client.get(self.question_url, name=e)
        elif e == "answer (htmx, deferred exam)":
            self.answer(self.question_url, self.page, e)
        elif e == "study: rate (htmx)":
            data = {"code": next(self.cards), "confidence": random.randint(1, 5), "course": d["course"]}
            self.post("/study/rate/", data, e, htmx=True)
        else:
            self.client.get(paths[e], name=e)


class LearnerDay(Learner):
    """The mix: a learner's day, with a little think time between pages."""

    wait_time = between(0.2, 1.0)

    @task
    def day(self):
        d = DATASET
        self.client.get("/", name="dashboard")
        self.client.get(f"/modules/{d['module']}/", name="module")
        self.client.get(f"/objectives/{random.choice(d['objectives'])}/", name="objective")
        self.client.get("/search/?q=escalation", name="search")
        study = self.client.get("/study/", name="study").text or ""
        for _ in range(3):
            card = re.search(r"\?reveal=([^\"&]+)", study)
            if not card:
                break
            self.client.get(f"/study/?reveal={card.group(1)}", name="study: reveal")
            data = {"code": card.group(1), "confidence": random.randint(1, 5), "course": d["course"]}
            study = self.post("/study/rate/", data, "study: rate (htmx)", htmx=True).text or ""
        self.client.get("/quizzes/", name="quiz list")
        slug = f"module-5-{1 + int(self.learner['email'][7:11]) % 16}"
        first = self.start_quiz(slug, "quiz: start")
        if first is None:
            return
        attempt = first.rsplit("/", 2)[0]
        for position in itertools.count(1):
            url = f"{attempt}/{position}/"
            page = self.client.get(url, name="question page")
            if page.status_code != 200:
                break
            self.answer(url, page.text or "", "answer (htmx, immediate)", go="check")
            if f"{attempt}/{position + 1}/" not in (page.text or ""):
                break
        self.post(f"{attempt}/submit/", {"confirm_unanswered": "1"}, "submit")
        self.client.get(f"{attempt}/result/", name="result page")


class InstructorDay(FastHttpUser):
    """The mix: the cohort's instructor reading the reports."""

    wait_time = between(1.0, 3.0)
    fixed_count = 2

    def on_start(self):
        self.client.cookiejar.set_cookie(_cookie("sessionid", SESSIONS[DATASET["instructor"]]))

    @task
    def reports(self):
        d = DATASET
        self.client.get(f"/cohorts/{d['cohort']}/", name="instructor: cohort overview")
        self.client.get(f"/cohorts/{d['cohort']}/learners/{d['report_membership']}/", name="instructor: a learner")
        self.client.get(f"/cohorts/{d['cohort']}/quizzes/{d['statistics_quiz']}/", name="instructor: quiz statistics")
        self.client.get(f"/cohorts/{d['cohort']}/overview.csv", name="instructor: cohort CSV")


class Answering(Learner):
    """Target (b): learners answering the final exam (deferred feedback, the htmx autosave), each
    reading a question, answering it, and moving on to the next. A learner takes 3–10 s to read a
    question and as long again to answer it: brisk for a certification question (a real one takes
    tens of seconds), so 50 learners ask for about 8 requests a second, half of them answers."""

    wait_time = between(3, 10)

    def on_start(self):
        super().on_start()
        self.attempt = f"/attempts/{self.learner['exam']}"  # started by the builder, partly answered
        self.positions = itertools.cycle(range(1, 51))

    @task
    def answer_next(self):
        url = f"{self.attempt}/{next(self.positions)}/"
        page = self.client.get(url, name="question page").text or ""
        self.wait()
        self.answer(url, page, "answer (htmx, deferred exam)")


class ExamStart(Learner):
    """Target (c): a class starting the final exam at once; each learner starts it once, then waits."""

    wait_time = constant(600)

    def on_start(self):
        super().on_start()
        with self.post(f"/quizzes/{FINAL}/start/", {}, "final exam: start", catch_response=True) as response:
            if response.status_code != 302 or "/attempts/" not in response.headers.get("Location", ""):
                response.failure(f"no attempt: {response.status_code}")

    @task
    def idle(self):
        pass


class ExamStartAtOnce(ExamStart):
    """Reported beside target (c), not its measure: 20 learners pressing "Start" in the same instant
    (a class on the invigilator's signal), as locust releases them: how long the last one waits."""

    spread_arrivals = False


class CohortOverview(FastHttpUser):
    """Target (d): the instructor reading the overview of the 500-learner cohort, then of the 5-learner one."""

    wait_time = constant(0)

    def on_start(self):
        self.client.cookiejar.set_cookie(_cookie("sessionid", SESSIONS[DATASET["instructor"]]))

    @task
    def both(self):
        self.client.get(f"/cohorts/{DATASET['cohort']}/", name="cohort overview (500 learners)")
        self.client.get(f"/cohorts/{DATASET['small_cohort']}/", name="cohort overview (5 learners)")
