"""Quiz statistics (quizzes.statistics, docs/item-statistics.md): Moodle's own expected values, a hand-computed quiz,
edge cases and the flags. Moodle's data is in tests/data/quiz-statistics (README.md there)."""

import csv
import functools
import json
import math
from pathlib import Path

import pytest

from quizzes.statistics import (
    DISCRIMINATION_MIN,
    DISCRIMINATIVE_EFFICIENCY_MIN,
    DOES_NOT_DISCRIMINATE,
    FACILITY_TOO_EASY,
    FACILITY_TOO_HARD,
    LOW_DISCRIMINATIVE_EFFICIENCY,
    NEGATIVE_DISCRIMINATION,
    TOO_EASY,
    TOO_HARD,
    AttemptMarks,
    SlotInfo,
    SlotStatistics,
    item_flags,
    quiz_statistics,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "quiz-statistics"
EXPECTED = json.loads((DATA / "quiz_stats_expected.json").read_text())
TOLERANCE = 1e-6  # what we require everywhere; Moodle's own tests allow 1e-5 (relative) for some of these


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="") as f:
        return list(csv.DictReader(f))


@functools.cache
def set_a():
    """results00.csv: 25 attempts x 7 slots, each out of 1."""
    rows = read_csv("results00.csv")
    slots = [SlotInfo(slot, 1.0) for slot in range(1, 8)]
    return quiz_statistics(slots, [AttemptMarks({s: float(r[f"slots.{s}.mark"]) for s in range(1, 8)}) for r in rows])


@functools.cache
def set_b():
    """mdl_question_states.csv: 22 attempts x 20 slots; an attempt starts at each row with slot 1."""
    max_marks = {int(r["slot"]): float(r["maxmark"]) for r in read_csv("mdl_question.csv")}
    attempts: list[dict[int, float]] = []
    for row in read_csv("mdl_question_states.csv"):
        if row["slot"] == "1":
            attempts.append({})
        attempts[-1][int(row["slot"])] = float(row["mark"])
        assert float(row["maxmark"]) == max_marks[int(row["slot"])]
    return quiz_statistics([SlotInfo(s, m) for s, m in sorted(max_marks.items())], map(AttemptMarks, attempts))


def close(actual: float | None, expected: float, relative: float = TOLERANCE) -> bool:
    return actual is not None and math.isclose(actual, expected, rel_tol=relative, abs_tol=0)


# Set A, quiz level: Moodle's check_quiz_stats_for_quiz_00 (its tolerance is relative 1.5e-5; ours 1e-6).
QUIZ_FIELDS = {
    "allattemptscount": "attempts",
    "allattemptsavg": "mean",
    "median": "median",
    "standarddeviation": "sd",
    "skewness": "skewness",
    "kurtosis": "kurtosis",
    "cic": "cic",
    "errorratio": "error_ratio",
    "standarderror": "standard_error",
}


@pytest.mark.parametrize(("moodle", "ours"), QUIZ_FIELDS.items())
def test_set_a_quiz_statistics_match_moodle(moodle, ours):
    expected = EXPECTED["dataset_A_walkthrough_00"]["expected_quiz_stats"][moodle]
    assert close(getattr(set_a(), ours), expected)


def test_set_a_cic_is_negative_and_not_clamped():
    stats = set_a()
    assert stats.cic < -87
    assert stats.error_ratio > 100


def test_set_a_percentages_are_of_the_maximum_total():
    stats = set_a()
    assert stats.max_total == 7
    assert close(stats.mean_percent, 100 * 4.617333332 / 7)
    assert close(stats.median_percent, 100 * 4.5 / 7)
    assert close(stats.sd_percent, 100 * 0.8117265554 / 7)
    assert close(stats.standard_error_percent, 100 * 1.1106813066 / 7)


# Set A, per slot: the rows of qstats00.csv with no sub-question and no variant (see the data README).
SLOT_FIELDS = {
    "s": "attempts",
    "facility": "facility",
    "sd": "sd",
    "effectiveweight": "effective_weight",
    "covariance": "covariance",
    "markvariance": "mark_variance",
    "othermarkvariance": "other_mark_variance",
    "discriminationindex": "discrimination_index",
    "covariancemax": "covariance_max",
    "discriminativeefficiency": "discriminative_efficiency",
    "maxmark": "max_mark",
}
SLOT_CASES = [
    pytest.param(int(row["slot"]), moodle, ours, row[moodle], id=f"slot{row['slot']}-{moodle}")
    for row in read_csv("qstats00.csv")
    if not row["subqname"] and not row["variant"]
    for moodle, ours in SLOT_FIELDS.items()
]


def test_set_a_has_seven_slot_rows():
    assert len(SLOT_CASES) == 7 * len(SLOT_FIELDS)


@pytest.mark.parametrize(("slot", "moodle", "ours", "expected"), SLOT_CASES)
def test_set_a_slot_statistics_match_moodle(slot, moodle, ours, expected):
    actual = getattr(set_a().slot(slot), ours)
    if expected == "**NULL**":
        assert actual is None
    else:
        assert close(actual, float(expected))


def test_set_a_intended_weights_share_the_maximum_total():
    assert [s.intended_weight for s in set_a().slots] == [pytest.approx(100 / 7)] * 7


# Set B: Moodle's statistics_test.php, expected arrays per slot (absolute 1e-6 after the multiplier).
SET_B = EXPECTED["dataset_B_statistics_test"]["expected_by_slot_1_to_20"]
SET_B_FIELDS = {
    "facility_x100": ("facility", 100),
    "sd_x1000": ("sd", 1000),
    "effectiveweight": ("effective_weight", 1),
    "discriminationindex": ("discrimination_index", 1),
    "discriminativeefficiency": ("discriminative_efficiency", 1),
}
SET_B_CASES = [
    pytest.param(key, slot, expected, id=f"{key}-slot{slot}")
    for key in SET_B_FIELDS
    for slot, expected in enumerate(SET_B[key], start=1)
]


@pytest.mark.parametrize(("key", "slot", "expected"), SET_B_CASES)
def test_set_b_slot_statistics_match_moodle(key, slot, expected):
    field, multiplier = SET_B_FIELDS[key]
    stats = set_b().slot(slot)
    actual = getattr(stats, field)
    if expected is not None:
        assert actual is not None
        assert abs(actual * multiplier - expected) <= TOLERANCE
    elif field == "sd":
        # Slots 5-7 are out of 0. Moodle stores sd = sqrt(0) = 0 there, and its report prints nothing; its test's
        # assertEquals(null, 0) passes because PHPUnit compares loosely. We keep the 0 and say "no SD" as a share.
        assert stats.max_mark == 0
        assert actual == 0
        assert stats.sd_fraction is None
    else:
        assert actual is None


def test_set_b_has_twenty_slots_of_twenty_two_attempts():
    stats = set_b()
    assert stats.attempts == 22
    assert [s.attempts for s in stats.slots] == [22] * 20
    assert all(len(values) == 20 for values in SET_B.values())


# A quiz computed by hand: 4 attempts x 3 questions out of 1, a perfect staircase.
#
#        q1 q2 q3  T
#   A     1  1  1  3
#   B     1  1  0  2
#   C     1  0  0  1
#   D     0  0  0  0
#
# facility: q1 3/4, q2 2/4, q3 1/4.
# var (n - 1 = 3): q1 = (3 x 0.25^2 + 0.75^2)/3 = 1/4 (sd 1/2); q2 = 4 x 0.5^2/3 = 1/3; q3 = 1/4 (q1's mirror).
# T: mean 1.5, median (1 + 2)/2 = 1.5, deviations +-1.5, +-0.5, var = 5/3, symmetric so skewness 0.
# kurtosis: m2 = 5/4, m4 = (2 x 1.5^4 + 2 x 0.5^4)/4 = 41/16, k4 = 16 (5 m4 - 9 m2^2)/6 = -10/3, k2 = 5/3,
#   kurtosis = k4/k2^2 = -1.2.
# alpha = 3/2 x (1 - (1/4 + 1/3 + 1/4)/(5/3)) = 3/2 x 1/2 = 0.75, cic 75; error ratio 100 sqrt(0.25) = 50;
#   standard error 0.5 sqrt(5/3).
# q1 against the rest X = T - x = 2, 1, 0, 0 (mean 3/4, var 11/12): cov = (0.25 x 1.25 + 0.25 x 0.25 + 0.25 x -0.75
#   + -0.75 x -0.75)/3 = 1/4, DI = 100 (1/4)/sqrt(1/4 x 11/12) = 100 sqrt(3/11). q3 is the same by symmetry.
# q2 against X = 2, 1, 1, 0 (mean 1, var 2/3): cov = (0.5 + 0 + 0 + 0.5)/3 = 1/3, DI = 100 (1/3)/sqrt(2/9) = 100/sqrt 2.
# covmax: the marks are already in the same order as the rest (a staircase), so covmax = cov and DE = 100 for all three.
# cov with T: q1 (0.375 + 0.125 - 0.125 + 1.125)/3 = 1/2, q2 2/3, q3 1/2; effective weight q1 = sqrt(1/2)/(2 sqrt(1/2)
#   + sqrt(2/3)) = 1/(2 + 2/sqrt 3) = 25 (3 - sqrt 3) %, q2 = 100 - 2 x that = 50 (sqrt 3 - 1) %.
HAND_SLOTS = [SlotInfo(1, 1, 0.25), SlotInfo(2, 1, 0.5), SlotInfo(3, 1)]
HAND_ATTEMPTS = [
    AttemptMarks(dict(zip((1, 2, 3), marks, strict=True))) for marks in ((1, 1, 1), (1, 1, 0), (1, 0, 0), (0, 0, 0))
]


@functools.cache
def hand():
    return quiz_statistics(HAND_SLOTS, HAND_ATTEMPTS)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("attempts", 4),
        ("max_total", 3),
        ("mean", 1.5),
        ("median", 1.5),
        ("sd", math.sqrt(5 / 3)),
        ("skewness", 0),
        ("kurtosis", -1.2),
        ("cic", 75),
        ("error_ratio", 50),
        ("standard_error", 0.5 * math.sqrt(5 / 3)),
        ("mean_percent", 50),
    ],
)
def test_hand_computed_quiz_statistics(field, expected):
    assert getattr(hand(), field) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(
    ("slot", "field", "expected"),
    [
        (1, "attempts", 4),
        (1, "facility", 0.75),
        (2, "facility", 0.5),
        (3, "facility", 0.25),
        (1, "sd", 0.5),
        (2, "sd", math.sqrt(1 / 3)),
        (3, "sd", 0.5),
        (1, "random_guess_score", 0.25),
        (3, "random_guess_score", None),
        (2, "intended_weight", 100 / 3),
        (1, "discrimination_index", 100 * math.sqrt(3 / 11)),
        (2, "discrimination_index", 100 / math.sqrt(2)),
        (3, "discrimination_index", 100 * math.sqrt(3 / 11)),
        (1, "discriminative_efficiency", 100),
        (2, "discriminative_efficiency", 100),
        (3, "discriminative_efficiency", 100),
        (1, "effective_weight", 25 * (3 - math.sqrt(3))),
        (2, "effective_weight", 50 * (math.sqrt(3) - 1)),
        (3, "effective_weight", 25 * (3 - math.sqrt(3))),
        (1, "covariance_with_total", 0.5),
        (2, "covariance_with_total", 2 / 3),
    ],
)
def test_hand_computed_slot_statistics(slot, field, expected):
    actual = getattr(hand().slot(slot), field)
    assert actual == (None if expected is None else pytest.approx(expected, rel=1e-12))


def test_effective_weights_add_up_to_100():
    assert sum(s.effective_weight for s in hand().slots) == pytest.approx(100)


def test_negative_alpha_is_a_result_not_an_error():
    # Two questions that never go together: var x1 = var x2 = 1/3, T = 1, 1, 2 has var 1/3,
    # alpha = 2 x (1 - (2/3)/(1/3)) = -2, so cic = -200 and the error ratio 100 sqrt 3.
    attempts = [AttemptMarks({1: 1, 2: 0}), AttemptMarks({1: 0, 2: 1}), AttemptMarks({1: 1, 2: 1})]
    stats = quiz_statistics([SlotInfo(1, 1), SlotInfo(2, 1)], attempts)
    assert stats.cic == pytest.approx(-200)
    assert stats.error_ratio == pytest.approx(100 * math.sqrt(3))


# Edge cases.
TWO_SLOTS = [SlotInfo(1, 1.0, 0.25), SlotInfo(2, 2.0)]


def test_zero_attempts_give_counts_and_weights_only():
    stats = quiz_statistics(TWO_SLOTS, [])
    assert stats.attempts == 0
    assert stats.max_total == 3
    assert (stats.mean, stats.median, stats.sd, stats.skewness, stats.kurtosis) == (None,) * 5
    assert (stats.cic, stats.error_ratio, stats.standard_error, stats.mean_percent) == (None,) * 4
    for slot in stats.slots:
        assert slot.attempts == 0
        assert slot.facility is slot.sd is slot.effective_weight is None
        assert slot.discrimination_index is slot.discriminative_efficiency is None
    assert [s.intended_weight for s in stats.slots] == [pytest.approx(100 / 3), pytest.approx(200 / 3)]
    assert stats.slot(1).random_guess_score == 0.25


def test_one_attempt_gives_mean_and_facility_only():
    stats = quiz_statistics(TWO_SLOTS, [AttemptMarks({1: 1.0, 2: 0.5})])
    assert (stats.attempts, stats.mean, stats.median) == (1, 1.5, 1.5)
    assert stats.mean_percent == pytest.approx(50)
    assert (stats.sd, stats.skewness, stats.kurtosis, stats.cic, stats.error_ratio) == (None,) * 5
    assert [s.facility for s in stats.slots] == [1.0, 0.25]
    for slot in stats.slots:
        assert slot.sd is slot.mark_variance is slot.effective_weight is None
        assert slot.discrimination_index is slot.discriminative_efficiency is None


def test_two_attempts_have_an_sd_but_no_shape_or_alpha():
    stats = quiz_statistics(TWO_SLOTS, [AttemptMarks({1: 1, 2: 2}), AttemptMarks({1: 0, 2: 0})])
    assert stats.sd == pytest.approx(math.sqrt(4.5))
    assert (stats.skewness, stats.kurtosis, stats.cic) == (None, None, None)


def test_three_attempts_have_a_skewness_but_no_kurtosis():
    attempts = [AttemptMarks({1: 1, 2: 2}), AttemptMarks({1: 0, 2: 0}), AttemptMarks({1: 1, 2: 0})]
    stats = quiz_statistics(TWO_SLOTS, attempts)
    assert stats.skewness is not None
    assert stats.kurtosis is None


@pytest.mark.parametrize("mark", [0.0, 0.1, 1 / 3, 1.0])
def test_same_marks_everywhere_give_zero_sd_and_no_correlations(mark):
    # 0.1 and 1/3 are not exact in binary: a naive mean leaves a tiny variance and a meaningless correlation.
    stats = quiz_statistics([SlotInfo(1, 1), SlotInfo(2, 1)], [AttemptMarks({1: mark, 2: mark})] * 22)
    assert stats.sd == 0
    assert (stats.skewness, stats.kurtosis, stats.cic, stats.error_ratio) == (None,) * 4
    for slot in stats.slots:
        assert slot.facility == mark
        assert slot.sd == 0
        assert slot.discrimination_index is slot.discriminative_efficiency is None
        assert slot.effective_weight is None  # every covariance with the total is 0: nothing to share out


def test_a_slot_everyone_gets_the_same_mark_on_has_weight_zero_among_others():
    attempts = [AttemptMarks({1: x, 2: 1}) for x in (0, 1, 1, 0)]
    stats = quiz_statistics([SlotInfo(1, 1), SlotInfo(2, 1)], attempts)
    assert stats.slot(2).sd == 0
    assert stats.slot(2).discrimination_index is None
    assert stats.slot(2).effective_weight == 0
    assert stats.slot(1).effective_weight == 100
    assert stats.slot(1).discrimination_index is None  # the rest of the test (slot 2) does not vary


def test_a_constant_rest_of_the_test_gives_no_discrimination_despite_rounding():
    # 0.1 + 0.2 - 0.1 is not 0.2 in binary: the rest of the test must still come out constant.
    attempts = [AttemptMarks({1: x, 2: 0.2}) for x in (0.1, 0.3, 0.7, 0.1)]
    stats = quiz_statistics([SlotInfo(1, 1), SlotInfo(2, 1)], attempts).slot(1)
    assert stats.other_mark_variance == 0
    assert stats.discrimination_index is stats.discriminative_efficiency is None


def test_slot_out_of_zero_has_no_facility():
    stats = quiz_statistics([SlotInfo(1, 1), SlotInfo(2, 0)], [AttemptMarks({1: x, 2: 0}) for x in (0, 1, 1)])
    assert stats.slot(2).facility is None
    assert stats.slot(2).sd == 0
    assert stats.slot(2).sd_fraction is None
    assert stats.slot(2).intended_weight == 0


def test_negative_covariance_with_the_total_has_no_effective_weight():
    # Slot 2 runs against slot 1, which carries the total: cov(x2, T) < 0, so no weight, as in Moodle.
    attempts = [AttemptMarks({1: 2, 2: 0}), AttemptMarks({1: 0, 2: 1}), AttemptMarks({1: 1, 2: 0.5})]
    stats = quiz_statistics([SlotInfo(1, 2), SlotInfo(2, 1)], attempts)
    assert stats.slot(2).covariance_with_total < 0
    assert stats.slot(2).effective_weight is None
    assert stats.slot(1).effective_weight == 100


MISSING = [
    AttemptMarks({1: 1, 2: 1, 3: 1}),
    AttemptMarks({1: 1, 2: 0, 3: None}),  # slot 3 not in this attempt (None)
    AttemptMarks({1: 0, 2: 1}),  # nor in this one (absent)
    AttemptMarks({1: 0, 2: 0, 3: 0}),
    AttemptMarks({1: 1, 2: 1, 3: 0}),
]


def test_missing_slot_counts_only_the_attempts_that_have_it():
    stats = quiz_statistics(HAND_SLOTS, MISSING)
    assert [s.attempts for s in stats.slots] == [5, 5, 3]
    assert stats.slot(3).facility == pytest.approx(1 / 3)
    assert stats.slot(1).facility == pytest.approx(3 / 5)
    # Totals are the sums of the marks present: 3, 1, 1, 0, 2.
    assert stats.mean == pytest.approx(7 / 5)
    assert stats.median == 1


def test_missing_slot_stats_are_those_of_its_own_attempts():
    # A slot's statistics use only the attempts that contain it (and those attempts' totals).
    stats = quiz_statistics(HAND_SLOTS, MISSING).slot(3)
    alone = quiz_statistics(HAND_SLOTS, [MISSING[0], MISSING[3], MISSING[4]]).slot(3)
    for field in ("facility", "sd", "discrimination_index", "discriminative_efficiency", "covariance_with_total"):
        assert getattr(stats, field) == pytest.approx(getattr(alone, field))


def test_alpha_needs_a_variance_for_every_slot():
    attempts = [AttemptMarks({1: x, 2: x}) for x in (0, 1, 1)] + [AttemptMarks({1: 1, 3: 1})]
    stats = quiz_statistics(HAND_SLOTS, attempts)
    assert stats.slot(3).mark_variance is None  # one attempt only
    assert stats.cic is None


@pytest.mark.parametrize(
    ("slots", "attempts", "message"),
    [
        ([SlotInfo(1, 1), SlotInfo(1, 2)], [], "once"),
        ([SlotInfo(1, -1)], [], "max mark"),
        ([SlotInfo(1, math.inf)], [], "max mark"),
        ([SlotInfo(1, 1)], [AttemptMarks({2: 1})], "not in the quiz"),
        ([SlotInfo(1, 1)], [AttemptMarks({1: math.nan})], "finite"),
    ],
)
def test_invalid_input_is_refused(slots, attempts, message):
    with pytest.raises(ValueError, match=message):
        quiz_statistics(slots, attempts)


def test_unknown_slot_lookup_raises_key_error():
    with pytest.raises(KeyError):
        hand().slot(9)


# Flags.
def slot_stats(facility=0.5, discrimination=40.0, efficiency=50.0) -> SlotStatistics:
    return SlotStatistics(
        slot=1,
        max_mark=1,
        attempts=30,
        facility=facility,
        sd=0.5,
        random_guess_score=None,
        intended_weight=10,
        effective_weight=10,
        discrimination_index=discrimination,
        discriminative_efficiency=efficiency,
        mark_variance=0.25,
        other_mark_variance=1,
        covariance=0.1,
        covariance_max=0.2,
        covariance_with_total=0.3,
    )


@pytest.mark.parametrize(
    ("facility", "discrimination", "efficiency", "flags"),
    [
        (0.5, 40, 50, ()),
        (FACILITY_TOO_EASY, 40, 50, (TOO_EASY,)),
        (0.94, 40, 50, ()),
        (1.0, None, None, (TOO_EASY,)),
        (FACILITY_TOO_HARD, 40, 50, (TOO_HARD,)),
        (0.06, 40, 50, ()),
        (0.0, None, None, (TOO_HARD,)),
        (None, None, None, ()),
        (0.5, DISCRIMINATION_MIN, 50, ()),
        (0.5, 19.9, 50, (DOES_NOT_DISCRIMINATE,)),
        (0.5, 0, 50, (DOES_NOT_DISCRIMINATE,)),
        (0.5, -5, -6, (DOES_NOT_DISCRIMINATE, NEGATIVE_DISCRIMINATION, LOW_DISCRIMINATIVE_EFFICIENCY)),
        (0.5, 30, DISCRIMINATIVE_EFFICIENCY_MIN, ()),
        (0.5, 30, 14.9, (LOW_DISCRIMINATIVE_EFFICIENCY,)),
        (0.97, 10, 12, (TOO_EASY, DOES_NOT_DISCRIMINATE, LOW_DISCRIMINATIVE_EFFICIENCY)),
    ],
)
def test_item_flags_thresholds(facility, discrimination, efficiency, flags):
    assert item_flags(slot_stats(facility, discrimination, efficiency)) == flags


def test_item_flags_on_moodle_set_a():
    # Random marks: every slot discriminates negatively; slot 3 (facility 0.973) is also too easy.
    flags = {s.slot: item_flags(s) for s in set_a().slots}
    assert all(NEGATIVE_DISCRIMINATION in f for f in flags.values())
    assert [slot for slot, f in flags.items() if TOO_EASY in f] == [3]
