"""Browser tests: Playwright driving Debian's Chromium against the live test server.

When Chromium is missing they are skipped with a message, unless PORTAL_REQUIRE_BROWSER is set
(CI sets it), in which case the run fails.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from content.services import course_load

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the sync Playwright API runs an event loop
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = os.path.exists(CHROMIUM)


def pytest_collection_modifyitems(config, items):
    e2e = [item for item in items if "tests/e2e/" in str(item.path)]
    for item in e2e:
        item.add_marker(pytest.mark.e2e)
    if e2e and not HAVE_CHROMIUM:
        if os.environ.get("PORTAL_REQUIRE_BROWSER"):
            raise pytest.UsageError("Chromium is missing and PORTAL_REQUIRE_BROWSER is set: browser tests cannot run.")
        print("\nChromium is not installed: the browser tests are SKIPPED (make test installs it when run as root).")
        for item in e2e:
            item.add_marker(pytest.mark.skip(reason="Chromium is not installed"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--disable-gpu", "--disable-quic"]}


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


@pytest.fixture
def course(transactional_db):
    """The course notes (no question bank)."""
    course_load(root=Path(settings.CONTENT_DIR))


@pytest.fixture
def course_and_bank(transactional_db, question_bank):
    """The course and its bank (loaded once per session, see tests/conftest.py), for the live server."""
