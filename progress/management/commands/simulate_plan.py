from django.core.management.base import BaseCommand

from progress.simulation import simulate


class Command(BaseCommand):
    help = (
        "Simulated learners (FSRS's own memory model, seeded) study 5.1–5.16 before an exam: following the "
        "exam plan, and following ordinary scheduling; prints each one's mean exam-day recall and its spread "
        "(docs/spaced-repetition.md, 'The exam plan')."
    )

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=20)
        parser.add_argument("--cards", type=int, default=78, help="the 78 objectives of 5.1–5.16")
        parser.add_argument("--days", type=int, default=30, help="days of study before the exam")
        parser.add_argument("--budget", type=int, default=20, help="cards a day")
        parser.add_argument("--target", type=int, default=90, help="recall target on exam day, %%")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, learners, cards, days, budget, target, seed, **options):
        results = simulate(learners=learners, cards=cards, days=days, budget=budget, target=target / 100, seed=seed)
        self.stdout.write(
            f"{learners} simulated learners, {cards} cards, {days} days before the exam, "
            f"{budget} cards a day, target {target}%, seed {seed}"
        )
        for name, outcome in results.items():
            low, high = min(outcome.recall), max(outcome.recall)
            self.stdout.write(
                f"{name:<24} exam-day recall {100 * outcome.mean:5.1f}% ± {100 * outcome.spread:.1f} "
                f"(min {100 * low:.1f}%, max {100 * high:.1f}%), "
                f"{sum(outcome.reviews) / len(outcome.reviews):.0f} reviews per learner"
            )
