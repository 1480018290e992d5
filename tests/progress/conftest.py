from tests.quizzes.conftest import small_bank  # noqa: F401 - the quiz engine's fixture, for quizzes feeding cards
