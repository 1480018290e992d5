"""Writes of the quiz engine: `bank` (the question bank: import, export, snapshots) and `attempts`."""
