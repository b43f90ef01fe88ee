"""Browser journeys: the portal served on localhost against the test database, a real Celery
worker, and Debian's Chromium driven by Playwright.

    portal       the live server's base URL, with the session's Celery worker running and
                 login throttling on, as in production
    browser      one headless Chromium per module (/usr/bin/chromium, `make system`)
    new_page     a fresh browser context (its own cookies: one user) → a page; call it once
                 per actor (seller, operations, finance)
    screenshot   screenshot(page, "name") → var/screenshots/name.png, the full page

A journey is a test marked ``browser`` and ``django_db(transaction=True,
serialized_rollback=True)``: the live server sees only committed rows, and the rollback
restores what data migrations create (the staff groups, the demo rate card) after the
flush. Reusable steps live in tests/browser/steps.py.
"""

import os
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "var" / "screenshots"))
FAILURES = SCREENSHOTS / "failures"
# Playwright waits this long for an element or a navigation before a step fails.
STEP_TIMEOUT_MS = 20_000


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so a fixture can tell that a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def _async_unsafe_allowed():
    """Playwright's sync API runs an event loop in this thread; Django would then refuse
    the test's own ORM calls as "async". The test code is plain synchronous code, so the
    check is switched off for the browser journeys only (they run last: live_server)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_async_unsafe_allowed):
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make system` installs Debian's chromium")
    serialized = _serialized_contents()
    with sync_playwright() as playwright:
        _serialized_contents_restore(serialized)
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


def _serialized_contents() -> dict[str, str]:
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _serialized_contents_restore(serialized: dict[str, str]) -> None:
    """Playwright's sync API runs the test in a greenlet with a contextvars context of its
    own, and Django keeps its connections in an asgiref ``Local`` (context variables): from
    here on, ``connections["default"]`` is a new wrapper, without the serialized contents
    that the session's database setup left on the first one. Without them, a journey's
    teardown flush re-creates content types and permissions (post_migrate) and the next
    journey's setup restores nothing: the staff groups and the demo rate card are gone.
    Give the new wrappers the same contents, so that each journey rolls back as any other
    transactional test does."""
    from django.db import connections

    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture
def portal(live_server, celery_worker, mailoutbox) -> str:
    """The portal's base URL (no trailing slash), served with production's middleware
    (allauth's rate limits, Content-Security-Policy); its e-mail in ``mailoutbox``."""
    return live_server.url


# What Chromium writes to the console when the page breaks the Content-Security-Policy.
CSP_VIOLATION = ("Content Security Policy", "Content-Security-Policy")


@pytest.fixture
def new_page(browser, request):
    """Factory: ``new_page()`` opens a page in a fresh context (its own cookies), Chinese
    first as a seller in China sees it, on Shanghai time. A failing test leaves a screenshot
    of every page it opened under var/screenshots/failures/."""
    contexts = []
    violations: list[str] = []
    watched: set[int] = set()

    def watch(page) -> None:
        if id(page) in watched:
            return
        watched.add(id(page))
        page.on(
            "console",
            lambda message: (
                violations.append(f"{page.url}: {message.text}")
                if any(marker in message.text for marker in CSP_VIOLATION)
                else None
            ),
        )

    def open_page(*, locale: str = "zh-CN", width: int = 1280, height: int = 900):
        context = browser.new_context(
            locale=locale,
            timezone_id="Asia/Shanghai",
            viewport={"width": width, "height": height},
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        context.on("page", watch)  # pages the journey opens later (downloads, popups)
        contexts.append(context)
        page = context.new_page()
        watch(page)
        return page

    yield open_page
    # Any page that broke the Content-Security-Policy fails the journey (issue 18).
    assert violations == [], "CSP violations:\n" + "\n".join(violations)
    failed = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts):
        if failed is not None and failed.failed:
            FAILURES.mkdir(parents=True, exist_ok=True)
            for index, page in enumerate(context.pages):
                page.screenshot(
                    path=FAILURES / f"{request.node.name}-{number}-{index}.png", full_page=True
                )
        context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")``: the whole page into var/screenshots/name.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 0
        return path

    return take
