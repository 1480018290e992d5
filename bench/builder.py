"""The benchmark's data set (docs/performance.md), built in bulk into an empty, migrated database
that has the course loaded (`load_course`).

One cohort of `learners` learners with varied histories (a fifth new, half mid-course, the rest
nearly done), about `reviews` review events and `attempts` finished attempts with graded answers,
an instructor of the cohort, and a small cohort of `small` of the same learners (for the
cohort overview's "same queries for 5 as for 500").

Review events are appended in bulk, then every card state is derived from them with the one
derivation (`progress.scheduling.effective` and `derive`), so the states equal what
`rebuild_card_states` gives. Attempts are drawn, snapshotted (`question_snapshot`) and graded
(`quizzes.grading.grade`, `attempt_score`) by the quiz engine's own functions, then written in bulk.
Deterministic for a given seed (apart from the random UUIDs and choice keys).
"""

import random
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from fsrs import Card, Rating

from bench.pools import EXAM_IN_PROGRESS
from cohorts.models import Membership
from cohorts.services import cohort_create
from content.models import CORE_COURSE, Objective, StudiedObjective
from portal.middleware import SessionIdleTimeoutMiddleware
from portal.models import User
from progress import scheduling
from progress.models import CardState, ReviewEvent
from quizzes.grading import correct_response, grade
from quizzes.models import Attempt, AttemptQuestion, AttemptStep, Question, Quiz
from quizzes.services.attempts import FINAL_EXAM_SLUG, allocate, attempt_score
from quizzes.services.bank import question_snapshot

DOMAIN = "bench.example"
INSTRUCTOR = f"instructor@{DOMAIN}"
COHORT = "Bench cohort"
SMALL_COHORT = "Bench cohort (small)"
BATCH = 2000


@dataclass(frozen=True)
class Profile:
    name: str
    share_of_cards: float  # of the core course's cards studied
    attempt_weight: int  # relative number of finished attempts


PROFILES = {
    "new": Profile("new", 0.0, 0),
    "mid": Profile("mid", 0.5, 2),
    "nearly done": Profile("nearly done", 0.95, 3),
}


def profile_of(index: int) -> Profile:
    """Learner `index`'s history: 2 in 10 new, 5 in 10 mid-course, 3 in 10 nearly done."""
    return PROFILES["new" if index % 10 < 2 else "mid" if index % 10 < 7 else "nearly done"]


def learner_email(index: int) -> str:
    return f"learner{index:04d}@{DOMAIN}"


def _wrong_response(snapshot: dict, rng: random.Random) -> dict:
    kind, choices = snapshot["kind"], snapshot["choices"]
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE):
        return {"choice": min(choices, key=lambda c: Decimal(c["fraction"]))["key"]}
    if kind == Question.Kind.MULTIPLE:
        wrong = [c["key"] for c in choices if Decimal(c["fraction"]) <= 0] or [choices[0]["key"]]
        return {"choices": wrong[:1]}
    if kind == Question.Kind.MATCHING:
        answers = [a["key"] for a in snapshot["answers"]]
        return {"pairs": {c["key"]: rng.choice(answers) for c in choices if c["text"]}}
    return {"order": [c["key"] for c in choices]}  # as shown: never the correct order


def _users(learners: int, now: datetime) -> tuple[list[User], User]:
    password = make_password(None)  # unusable: the benchmark signs in with sessions it writes
    users = [
        User(
            email=learner_email(i),
            password=password,
            date_joined=now - timedelta(days=90),
            exam_date=(now + timedelta(days=10 + i % 50)).date() if i % 3 == 0 else None,
        )
        for i in range(learners)
    ]
    instructor = User(email=INSTRUCTOR, password=password, is_staff=True, date_joined=now - timedelta(days=120))
    created = User.objects.bulk_create([*users, instructor], batch_size=BATCH)
    instructor = created[-1]
    instructor.groups.add(Group.objects.get(name="Instructors"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in created], batch_size=BATCH
    )
    return created[:-1], instructor


def _cohorts(users: list[User], instructor: User, small: int, now: datetime) -> tuple:
    cohort = cohort_create(name=COHORT, instructor=instructor)
    small_cohort = cohort_create(name=SMALL_COHORT, instructor=instructor)
    Membership.objects.bulk_create(
        [Membership(cohort=cohort, user=u, joined_at=now - timedelta(days=60), changed_at=now) for u in users]
        + [
            Membership(cohort=small_cohort, user=u, joined_at=now - timedelta(days=60), changed_at=now)
            for u in users[2 : 2 + small]  # mixed histories (profile_of)
        ],
        batch_size=BATCH,
    )
    return cohort, small_cohort


def _card_events(user: User, objective: Objective, start: datetime, count: int, skill: float, rng, now) -> list:
    """`count` reviews of one card at most, each when the scheduler asks for it (or later), none after now."""
    events, card, at = [], Card(card_id=objective.pk), start
    for _ in range(count):
        if at >= now:
            break
        quiz = rng.random() < 0.15
        if quiz:
            credit = Decimal(1) if rng.random() < skill else Decimal(0)
            rating = scheduling.quiz_rating(credit)
            fields = {"source": ReviewEvent.Source.QUIZ, "credit": credit}
        else:
            good = rng.random() < skill
            confidence = rng.choice((3, 4, 5)) if good else rng.choice((1, 2))
            rating = scheduling.CONFIDENCE_TO_RATING[confidence]
            fields = {
                "source": ReviewEvent.Source.FLASHCARD,
                "confidence": confidence,
                "duration_ms": rng.randint(3_000, 40_000),
            }
        events.append(ReviewEvent(user=user, objective=objective, rating=int(rating), reviewed_at=at, **fields))
        card, _ = scheduling.SCHEDULER.review_card(card, Rating(rating), at)
        at = max(card.due, at + timedelta(minutes=1)) + timedelta(minutes=rng.randint(0, 24 * 60))
    return events


def _reviews(users: list[User], objectives: list[Objective], target: int, rng, now) -> tuple[int, int]:
    studied = [(u, objectives[: round(profile_of(i).share_of_cards * len(objectives))]) for i, u in enumerate(users)]
    cards = sum(len(objs) for _, objs in studied) or 1
    per_card = target / cards  # the mean number of reviews a card is given (some stop at "now")
    events, marks = [], []
    for index, (user, objs) in enumerate(studied):
        skill = 0.55 + 0.4 * rng.random()
        first = now - timedelta(days=75 if profile_of(index).name == "nearly done" else 45)
        for n, objective in enumerate(objs):
            start = first + timedelta(hours=n * 6 + rng.randint(0, 5))  # the modules in order
            count = max(1, round(rng.uniform(0.5, 1.5) * per_card * 1.25))
            events += _card_events(user, objective, start, count, skill, rng, now)
            if n % 2 == 0:
                marks.append(StudiedObjective(user=user, objective=objective))
    ReviewEvent.objects.bulk_create(events, batch_size=BATCH)
    StudiedObjective.objects.bulk_create(marks, batch_size=BATCH)
    by_card: dict[tuple[int, int], list] = {}
    for event in events:
        by_card.setdefault((event.user_id, event.objective_id), []).append(event)
    states = [
        CardState(user_id=user_id, objective_id=objective_id, **scheduling.derive(objective_id, card_events))
        for (user_id, objective_id), card_events in by_card.items()
    ]
    CardState.objects.bulk_create(states, batch_size=BATCH)
    return len(events), len(states)


def _draw(quiz: Quiz, by_module: dict, modules_objectives: dict, rng) -> list[Question]:
    if quiz.kind == Quiz.Kind.FINAL:
        shares = allocate(quiz.question_count, modules_objectives, {m: len(q) for m, q in by_module.items()})
        picked = [q for m, n in shares.items() for q in rng.sample(by_module[m], n)]
        rng.shuffle(picked)
        return picked
    pool = by_module[quiz.module_id]
    return rng.sample(pool, min(quiz.question_count, len(pool)))


def _attempts(users: list[User], target: int, rng, now) -> tuple[int, int]:
    questions = list(
        Question.objects.filter(is_active=True, objective__module__course__slug=CORE_COURSE)
        .select_related("objective__module")
        .prefetch_related("choices")
    )
    by_module: dict[int, list] = {}
    for question in questions:
        by_module.setdefault(question.objective.module_id, []).append(question)
    modules_objectives: dict[int, int] = {}
    for module_id in Objective.objects.filter(module_id__in=by_module).values_list("module_id", flat=True):
        modules_objectives[module_id] = modules_objectives.get(module_id, 0) + 1
    module_quizzes = list(Quiz.objects.filter(kind=Quiz.Kind.MODULE, module_id__in=by_module).order_by("module__order"))
    final = Quiz.objects.get(slug=FINAL_EXAM_SLUG)
    weights = [profile_of(i).attempt_weight for i in range(len(users))]
    total_weight = sum(weights) or 1
    counts = [target * w // total_weight for w in weights]
    for index in sorted(range(len(users)), key=lambda i: -weights[i])[: target - sum(counts)]:
        counts[index] += 1  # exactly `target` in all
    attempts, slots_of = [], []

    def slots_for(quiz: Quiz, started: datetime, skill: float, answered_share: float) -> list[AttemptQuestion]:
        slots = []
        for position, question in enumerate(_draw(quiz, by_module, modules_objectives, rng), start=1):
            snapshot = question_snapshot(question, shuffle=quiz.shuffle_answers, rng=rng)
            answered = rng.random() < answered_share
            right = rng.random() < skill
            response = (correct_response(snapshot) if right else _wrong_response(snapshot, rng)) if answered else None
            slots.append(
                AttemptQuestion(
                    position=position,
                    question=question,
                    objective=question.objective,
                    snapshot=snapshot,
                    response=response,
                    credit=grade(snapshot, response) if answered else None,
                    answered_at=started + timedelta(seconds=30 * position) if answered else None,
                )
            )
        return slots

    for index, (user, count) in enumerate(zip(users, counts, strict=True)):
        profile = profile_of(index)
        reach = max(1, round(profile.share_of_cards * len(module_quizzes)))
        skill = 0.5 + 0.45 * rng.random()
        numbers: dict[int, int] = {}
        for k in range(count):
            quiz = final if profile.name == "nearly done" and k == count - 1 else module_quizzes[k % reach]
            numbers[quiz.pk] = numbers.get(quiz.pk, 0) + 1
            started = now - timedelta(days=40) + timedelta(hours=(40 * 24 - 2) * k / max(count, 1))
            slots = slots_for(quiz, started, skill, 0.95)
            score, passed = attempt_score(credits=[s.credit for s in slots], pass_mark=quiz.pass_mark)
            attempts.append(
                Attempt(
                    quiz=quiz,
                    user=user,
                    number=numbers[quiz.pk],
                    state=Attempt.State.FINISHED,
                    feedback_mode=quiz.feedback_mode,
                    show_correct_answers=quiz.show_correct_answers,
                    started_at=started,
                    finished_at=started + timedelta(seconds=30 * len(slots) + rng.randint(0, 600)),
                    score=score,
                    passed=passed,
                )
            )
            slots_of.append(slots)
        if EXAM_IN_PROGRESS[0] <= index < EXAM_IN_PROGRESS[1]:  # started a while ago, partly answered
            started = now - timedelta(minutes=20)
            attempts.append(
                Attempt(
                    quiz=final,
                    user=user,
                    number=numbers.get(final.pk, 0) + 1,
                    feedback_mode=final.feedback_mode,
                    show_correct_answers=final.show_correct_answers,
                    started_at=started,
                    deadline=started + final.time_limit if final.time_limit else None,
                )
            )
            slots_of.append(slots_for(final, started, skill, 0.4))
    Attempt.objects.bulk_create(attempts, batch_size=BATCH)
    rows, steps = [], []
    for attempt, slots in zip(attempts, slots_of, strict=True):
        for slot in slots:
            slot.attempt = attempt
        rows += slots
        steps.append(AttemptStep(attempt=attempt, action="start", data={}, at=attempt.started_at))
        if attempt.is_finished:
            score = {"score": str(attempt.score)}
            steps.append(AttemptStep(attempt=attempt, action="submit", data=score, at=attempt.finished_at))
    AttemptQuestion.objects.bulk_create(rows, batch_size=BATCH)
    AttemptStep.objects.bulk_create(steps, batch_size=BATCH)
    return sum(a.is_finished for a in attempts), len(rows)


def dataset_build(
    *, learners: int = 500, reviews: int = 100_000, attempts: int = 5_000, small: int = 5, seed: int = 13
) -> dict:
    """Build the data set (the course must be loaded, and no bench data there yet); returns what the
    load generator needs to know about it (bench/locustfile.py reads it)."""
    rng = random.Random(seed)  # noqa: S311 (benchmark data, not security)
    now = timezone.now().replace(microsecond=0)
    objectives = list(Objective.objects.filter(module__course__slug=CORE_COURSE).order_by("module__order", "order"))
    with transaction.atomic():
        users, instructor = _users(learners, now)
        cohort, small_cohort = _cohorts(users, instructor, small, now)
        review_count, state_count = _reviews(users, objectives, reviews, rng, now)
        attempt_count, slot_count = _attempts(users, attempts, rng, now)
    results = dict(
        Attempt.objects.filter(user__in=users, quiz__kind=Quiz.Kind.MODULE)
        .order_by("user_id", "-number")
        .values_list("user__email", "uuid")
    )
    exams = dict(
        Attempt.objects.filter(quiz__slug=FINAL_EXAM_SLUG, state=Attempt.State.IN_PROGRESS).values_list(
            "user__email", "uuid"
        )
    )
    members = dict(cohort.memberships.values_list("user__email", "uuid"))
    report_learner = learner_email(9 % learners)  # nearly done
    return {
        "built_at": now.isoformat(),
        "seed": seed,
        "counts": {
            "learners": learners,
            "small_cohort": small,
            "review_events": review_count,
            "card_states": state_count,
            "finished_attempts": attempt_count,
            "final_exams_in_progress": len(exams),
            "attempt_questions": slot_count,
            "questions": Question.objects.count(),
            "objectives": Objective.objects.count(),
        },
        "instructor": INSTRUCTOR,
        "cohort": str(cohort.uuid),
        "small_cohort": str(small_cohort.uuid),
        "report_membership": str(members[report_learner]),
        "statistics_quiz": "module-5-1",
        "course": CORE_COURSE,
        "module": objectives[len(objectives) // 2].module.code,
        "objective": objectives[len(objectives) // 2].code,
        "objectives": [o.code for o in objectives],
        "learners": [
            {
                "email": learner_email(i),
                "profile": profile_of(i).name,
                "result": str(results[learner_email(i)]) if learner_email(i) in results else None,
                "exam": str(exams[learner_email(i)]) if learner_email(i) in exams else None,
            }
            for i in range(learners)
        ],
    }


def sessions_write(emails: list[str]) -> dict[str, str]:
    """A fresh signed-in session for each address (as a sign-in would leave it), written in bulk:
    the load generator sets the cookie instead of posting the login form. Returns email → session key."""
    users = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    by_email = {u.email: u for u in User.objects.filter(pk__in=users.values())}
    expire = timezone.now() + timedelta(days=1)
    now = int(timezone.now().timestamp())
    rows, keys = [], {}
    for email in emails:
        user = by_email[email]
        store = SessionStore()
        key = get_random_string(32, string.ascii_lowercase + string.digits)  # as Django makes them
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
            SessionIdleTimeoutMiddleware.KEY: now,
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        keys[email] = key
    Session.objects.bulk_create(rows, batch_size=BATCH)
    return keys
