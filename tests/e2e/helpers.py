"""Helpers shared by the browser tests."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

_axe = Axe()


def assert_accessible(page, *, target_size: bool = False, allow: tuple[tuple[str, str], ...] = ()) -> None:
    """axe-core (WCAG 2.2 AA rules and best practices) finds no violation on the page.

    `target_size` also runs axe's target-size rule (WCAG 2.5.8, off in axe by default). `allow` lists
    (rule id, CSS selector) pairs of known violations to ignore: only that rule, only on that element.
    """
    options = {"resultTypes": ["violations"]}
    if target_size:
        options["rules"] = {"target-size": {"enabled": True}}
    results = _axe.run(page, options=options)
    if not allow:
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
        return
    left = []
    for violation in results.response["violations"]:
        nodes = [n for n in violation["nodes"] if (violation["id"], n["target"][-1]) not in allow]
        left += [f"{violation['id']}: {n['target']} {violation['help']}" for n in nodes]
    assert not left, f"{page.url}\n" + "\n".join(left)


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has focus: proves it is keyboard-reachable."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab on {page.url}")


def keyboard_open(page, selector: str, heading: str, *, check: bool = True) -> None:
    """Tab to a link or button, press Enter, wait for the page's heading, and scan it with axe-core."""
    tab_to(page, selector)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    if check:
        assert_accessible(page)


def log_in(page, email: str) -> None:
    UserFactory(email=email)
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def click_right_answer(page, snapshot: dict) -> None:
    """Give the question's full-credit answer by clicking and choosing (the pages without JavaScript)."""
    from quizzes.grading import correct_response

    data = correct_response(snapshot)
    if "choice" in data:
        page.check(f"input[value='{data['choice']}']")
    elif "choices" in data:
        for key in data["choices"]:
            page.check(f"input[value='{key}']")
    elif "pairs" in data:
        for left, answer in data["pairs"].items():
            page.select_option(f"select[name='pair-{left}']", answer)
    else:
        for position, key in enumerate(data["order"], start=1):
            page.select_option(f"select[name='position-{key}']", str(position))
