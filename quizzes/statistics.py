"""Quiz statistics as Moodle's quiz statistics report computes them (docs/item-statistics.md).

Pure Python: no database, no Django. The caller gives the quiz's slots (`SlotInfo`) and the marks of
each attempt to analyse (`AttemptMarks`), already chosen (for instance each learner's first finished
attempt, as Moodle does by default); `quiz_statistics` returns the test statistics and one
`SlotStatistics` per slot; `item_flags` says which slots need a look.

Units follow what Moodle stores, so that its expected values can be checked as they are:

- marks (`mean`, `median`, `sd`, `standard_error`, a slot's `sd`) are in marks, as summed in the
  attempt; `QuizStatistics.percent` and the `*_percent` properties give them as a percentage of the
  maximum total, which is how Moodle's report shows them;
- `facility` and `random_guess_score` are fractions of the slot's maximum mark (0 to 1);
- `intended_weight`, `effective_weight`, `discrimination_index`, `discriminative_efficiency`,
  `cic` and `error_ratio` are percentages (`cic` is Cronbach's alpha × 100);
- `skewness` and `kurtosis` have no unit.

An attempt's total is the sum of its slot marks. Sample (n − 1) variances are used throughout. A
value Moodle leaves null (too few attempts, a zero variance, a zero maximum mark) is `None`.
The coefficient of internal consistency is never clamped: for marks that do not hang together it is
negative, as it should be.

Formulas: docs.moodle.org/dev/Quiz_statistics_calculations, checked against Moodle's own test
data (tests/data/quiz-statistics/).
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

# Thresholds of `item_flags`. Facility is a fraction, the two discrimination numbers are percentages.
FACILITY_TOO_EASY = 0.95
"""Facility at or above this is "too easy" (OU/Moodle guidance: 95–100 % is extremely easy)."""
FACILITY_TOO_HARD = 0.05
"""Facility at or below this is "too hard" (OU/Moodle guidance: 5 % or less is extremely difficult)."""
DISCRIMINATION_MIN = 20.0
"""A discrimination index below this (in %) "does not discriminate" (classical cut: below 0.20 is poor)."""
DISCRIMINATIVE_EFFICIENCY_MIN = 15.0
"""A discriminative efficiency below this (in %) is "low"; Moodle's report marks such a question as dubious."""

TOO_EASY = "too easy"
TOO_HARD = "too hard"
DOES_NOT_DISCRIMINATE = "does not discriminate"
NEGATIVE_DISCRIMINATION = "negative discrimination"
LOW_DISCRIMINATIVE_EFFICIENCY = "low discriminative efficiency"


@dataclass(frozen=True)
class SlotInfo:
    """One position of the quiz.

    `max_mark` is what the slot is marked out of in this quiz (0 is allowed: such a slot has no
    facility). `random_guess_score` is the fraction of `max_mark` a learner would expect from
    guessing (1/n for a single answer with n options, 0.5 for true/false); the caller works it out
    from the question, it is only passed through. None when it does not apply (a free-text answer).
    """

    slot: int
    max_mark: float
    random_guess_score: float | None = None


@dataclass(frozen=True)
class AttemptMarks:
    """The marks of one attempt: slot -> mark (in marks, not a fraction).

    A slot that is absent, or maps to None, was not in this attempt: it counts neither in that slot's
    statistics nor in the attempt's total. A question the learner left unanswered is a mark of 0.
    """

    marks: Mapping[int, float | None]

    @property
    def total(self) -> float:
        """The attempt's total: the sum of its slot marks (Moodle's `sumgrades`)."""
        return math.fsum(mark for mark in self.marks.values() if mark is not None)


@dataclass(frozen=True)
class SlotStatistics:
    """The statistics of one slot, over the attempts that contain it.

    For a slot, x is its mark and X = T − x the rest of the attempt's total T.

    - `attempts`: how many attempts contain the slot (Moodle's `s`).
    - `facility`: mean(x) / max mark, 0 to 1. None when there is no attempt or the max mark is 0.
    - `sd`: sample standard deviation of x, in marks (Moodle's stored `sd`; its report shows
      `sd_fraction`). None with fewer than 2 attempts.
    - `random_guess_score`: as given in `SlotInfo`.
    - `intended_weight`: 100 × max mark / sum of all slots' max marks.
    - `effective_weight`: 100 × √cov(x, T) / Σ √cov(x_j, T), the sum over the slots whose cov(x_j, T)
      is not negative. None for a slot with a negative cov(x, T), with fewer than 2 attempts, or
      when the sum is 0.
    - `discrimination_index`: 100 × the correlation of x with X (the rest of the test), −100 to 100.
      None when either variance is 0 or with fewer than 2 attempts.
    - `discriminative_efficiency`: 100 × cov(x, X) / covmax, where covmax pairs the sorted x with the
      sorted X (the largest covariance those marks allow). None when covmax is 0.
    - `mark_variance`, `other_mark_variance`, `covariance` (of x with X), `covariance_max`,
      `covariance_with_total` (of x with T): the intermediate sample (co)variances, as Moodle keeps them.
    """

    slot: int
    max_mark: float
    attempts: int
    facility: float | None
    sd: float | None
    random_guess_score: float | None
    intended_weight: float | None
    effective_weight: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    mark_variance: float | None
    other_mark_variance: float | None
    covariance: float | None
    covariance_max: float | None
    covariance_with_total: float | None

    @property
    def sd_fraction(self) -> float | None:
        """`sd` as a fraction of the max mark (what Moodle's report shows, × 100); None for a max mark of 0."""
        if self.sd is None or self.max_mark == 0:
            return None
        return self.sd / self.max_mark


@dataclass(frozen=True)
class QuizStatistics:
    """The test statistics, over the attempts' totals T, and one `SlotStatistics` per slot.

    - `attempts`: the number of attempts analysed.
    - `max_total`: the sum of the slots' max marks (the basis of the percentages).
    - `mean`, `median` (of an even count: the mean of the two middle totals): None without attempts.
    - `sd`: sample standard deviation of T. None with fewer than 2 attempts.
    - `skewness`: k3 / k2^1.5 (n > 2); `kurtosis`: k4 / k2² (n > 3); both None when k2 (the variance
      of T) is 0. k2, k3, k4 are the unbiased cumulants of T.
    - `cic`: 100 × p / (p − 1) × (1 − Σ var(x_i) / var(T)), p the number of slots (Cronbach's alpha
      × 100). Not clamped: negative when the slots do not hang together. None unless n > 2, p > 1,
      var(T) > 0 and every slot has a variance.
    - `error_ratio`: 100 × √(1 − cic / 100), in %; `standard_error`: error_ratio × sd / 100, in marks.
    """

    attempts: int
    max_total: float
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None
    error_ratio: float | None
    standard_error: float | None
    slots: tuple[SlotStatistics, ...]

    def percent(self, marks: float | None) -> float | None:
        """A value in marks as a percentage of the maximum total (None if either is missing or 0)."""
        if marks is None or self.max_total == 0:
            return None
        return 100 * marks / self.max_total

    @property
    def mean_percent(self) -> float | None:
        """The mean total as a percentage of the maximum total (Moodle's "Average grade")."""
        return self.percent(self.mean)

    @property
    def median_percent(self) -> float | None:
        """The median total as a percentage of the maximum total."""
        return self.percent(self.median)

    @property
    def sd_percent(self) -> float | None:
        """The standard deviation of the totals as a percentage of the maximum total."""
        return self.percent(self.sd)

    @property
    def standard_error_percent(self) -> float | None:
        """The standard error as a percentage of the maximum total."""
        return self.percent(self.standard_error)

    def slot(self, slot: int) -> SlotStatistics:
        """The statistics of one slot (KeyError if the quiz has no such slot)."""
        for stats in self.slots:
            if stats.slot == slot:
                return stats
        raise KeyError(slot)


def _mean(values: Sequence[float]) -> float:
    # Equal values give exactly that value, so their deviations (and variance) are exactly 0.
    if min(values) == max(values):
        return values[0]
    return math.fsum(values) / len(values)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _sample_covariance(xs: Sequence[float], ys: Sequence[float]) -> float:
    mx, my = _mean(xs), _mean(ys)
    return math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (len(xs) - 1)


def _check(slots: Sequence[SlotInfo], attempts: list[AttemptMarks]) -> None:
    numbers = [s.slot for s in slots]
    if len(set(numbers)) != len(numbers):
        raise ValueError("each slot must be given once")
    if any(not math.isfinite(s.max_mark) or s.max_mark < 0 for s in slots):
        raise ValueError("a max mark must be a finite number, 0 or more")
    known = set(numbers)
    for attempt in attempts:
        if unknown := set(attempt.marks) - known:
            raise ValueError(f"marks for slots that are not in the quiz: {sorted(unknown)}")
        if any(mark is not None and not math.isfinite(mark) for mark in attempt.marks.values()):
            raise ValueError("a mark must be a finite number")


def _slot_statistics(info: SlotInfo, marks: list[tuple[float, float, float]], max_total: float) -> SlotStatistics:
    """Everything but the effective weight, from (x, X, T) for each attempt that contains the slot."""
    s = len(marks)
    xs = [x for x, _, _ in marks]
    others = [other for _, other, _ in marks]
    totals = [t for _, _, t in marks]
    facility = _mean(xs) / info.max_mark if s and info.max_mark != 0 else None
    variance = other_variance = covariance = covariance_max = covariance_total = None
    discrimination = efficiency = None
    if s > 1:
        variance = _sample_covariance(xs, xs)
        other_variance = _sample_covariance(others, others)
        covariance = _sample_covariance(xs, others)
        covariance_max = _sample_covariance(sorted(xs), sorted(others))
        covariance_total = _sample_covariance(xs, totals)
        if variance * other_variance != 0:
            discrimination = 100 * covariance / math.sqrt(variance * other_variance)
        if covariance_max != 0:
            efficiency = 100 * covariance / covariance_max
    return SlotStatistics(
        slot=info.slot,
        max_mark=info.max_mark,
        attempts=s,
        facility=facility,
        sd=None if variance is None else math.sqrt(variance),
        random_guess_score=info.random_guess_score,
        intended_weight=100 * info.max_mark / max_total if max_total else None,
        effective_weight=None,
        discrimination_index=discrimination,
        discriminative_efficiency=efficiency,
        mark_variance=variance,
        other_mark_variance=other_variance,
        covariance=covariance,
        covariance_max=covariance_max,
        covariance_with_total=covariance_total,
    )


def _with_effective_weights(slots: list[SlotStatistics]) -> tuple[SlotStatistics, ...]:
    roots = {
        s.slot: math.sqrt(s.covariance_with_total)
        for s in slots
        if s.covariance_with_total is not None and s.covariance_with_total >= 0
    }
    denominator = math.fsum(roots.values())
    return tuple(
        replace(s, effective_weight=100 * roots[s.slot] / denominator if denominator and s.slot in roots else None)
        for s in slots
    )


def quiz_statistics(slots: Sequence[SlotInfo], attempts: Iterable[AttemptMarks]) -> QuizStatistics:
    """Moodle's quiz statistics report for these attempts at a quiz with these slots.

    Every attempt is analysed as given (choose first attempts, finished attempts, ... beforehand).
    Raises ValueError for a slot given twice, a negative or non-finite max mark, a mark for a slot
    that is not in `slots`, or a non-finite mark.
    """
    attempts = list(attempts)
    _check(slots, attempts)
    n = len(attempts)
    totals = [a.total for a in attempts]
    max_total = math.fsum(s.max_mark for s in slots)

    per_slot = []
    for info in slots:
        marks = []
        for attempt, total in zip(attempts, totals, strict=True):
            if (x := attempt.marks.get(info.slot)) is not None:
                # The rest X summed from the other marks (not T - x), so that equal rests are exactly equal.
                rest = math.fsum(m for slot, m in attempt.marks.items() if slot != info.slot and m is not None)
                marks.append((x, rest, total))
        per_slot.append(_slot_statistics(info, marks, max_total))
    slot_stats = _with_effective_weights(per_slot)

    mean = _mean(totals) if n else None
    median = _median(totals) if n else None
    sd = skewness = kurtosis = cic = error_ratio = standard_error = None
    if n > 1:
        deviations = [t - mean for t in totals]
        m2, m3, m4 = (math.fsum(d**k for d in deviations) / n for k in (2, 3, 4))
        k2 = n * m2 / (n - 1)
        sd = math.sqrt(k2)
        p = len(slots)
        variances = [s.mark_variance for s in slot_stats]
        if n > 2 and k2 != 0:
            k3 = n * n * m3 / ((n - 1) * (n - 2))
            skewness = k3 / k2**1.5
            if n > 3:
                k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
                kurtosis = k4 / (k2 * k2)
            if p > 1 and None not in variances:
                cic = 100 * p / (p - 1) * (1 - math.fsum(variances) / k2)
                if cic <= 100:
                    error_ratio = 100 * math.sqrt(1 - cic / 100)
                    standard_error = error_ratio * sd / 100
    return QuizStatistics(
        attempts=n,
        max_total=max_total,
        mean=mean,
        median=median,
        sd=sd,
        skewness=skewness,
        kurtosis=kurtosis,
        cic=cic,
        error_ratio=error_ratio,
        standard_error=standard_error,
        slots=slot_stats,
    )


def item_flags(stats: SlotStatistics) -> tuple[str, ...]:
    """What deserves a look in one slot's statistics, in this order (empty when nothing does).

    - TOO_EASY: facility ≥ FACILITY_TOO_EASY (0.95); TOO_HARD: facility ≤ FACILITY_TOO_HARD (0.05).
      The Open University's guidance for Moodle's report (the source of the Moodle docs page "Quiz
      report statistics") calls a facility of 95–100 % extremely easy and 5 % or less extremely
      difficult or "something wrong with the question".
    - DOES_NOT_DISCRIMINATE: discrimination index < DISCRIMINATION_MIN (20 %), the common
      classical-test-theory cut (an item-rest correlation below 0.20 is poor; Moodle's question bank
      goes further and says "needs checking: very likely" below 30 % and "likely" below 50 %).
      NEGATIVE_DISCRIMINATION as well when it is below 0: learners who did worse on the rest of the
      test did better on this question (a wrong key, an ambiguous stem).
    - LOW_DISCRIMINATIVE_EFFICIENCY: discriminative efficiency < DISCRIMINATIVE_EFFICIENCY_MIN (15 %),
      the threshold below which Moodle's statistics report marks a question as dubious.

    A statistic that is None (too few attempts, no variance) raises no flag.
    """
    flags = []
    if stats.facility is not None:
        if stats.facility >= FACILITY_TOO_EASY:
            flags.append(TOO_EASY)
        if stats.facility <= FACILITY_TOO_HARD:
            flags.append(TOO_HARD)
    if stats.discrimination_index is not None:
        if stats.discrimination_index < DISCRIMINATION_MIN:
            flags.append(DOES_NOT_DISCRIMINATE)
        if stats.discrimination_index < 0:
            flags.append(NEGATIVE_DISCRIMINATION)
    if stats.discriminative_efficiency is not None and stats.discriminative_efficiency < DISCRIMINATIVE_EFFICIENCY_MIN:
        flags.append(LOW_DISCRIMINATIVE_EFFICIENCY)
    return tuple(flags)
