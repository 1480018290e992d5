"""Which learners of the data set (by index) each phase of the benchmark signs in as: disjoint ranges,
so that no phase finds another's attempts. No Django here: bench/run.py reads it before Django starts."""

POOLS = {
    "exam start": (0, 200),  # target c: they start the final exam (none has one in progress)
    "answering": (200, 250),  # target b: each has a final exam in progress (the builder makes it)
    "throughput": (250, 300),  # each endpoint alone; each has a final exam in progress too
    "mix": (300, 480),  # a learner's day
    "exam start at once": (480, 500),  # beside target c: 20 start the final exam in the same instant
}
EXAM_IN_PROGRESS = (200, 300)  # learners the builder gives a final exam in progress, partly answered
