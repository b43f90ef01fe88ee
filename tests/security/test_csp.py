"""Content-Security-Policy (django-csp, issue 18): a strict policy on the portal and the
admin, and no template that would need it loosened (no inline script, no <style>, no style
attribute, no on* handler). The browser journeys fail on any violation Chromium reports."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.accounts.factories import StaffUserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/healthz"])
def test_public_pages_carry_the_policy(client, path):
    header = client.get(path)["Content-Security-Policy"]
    assert _directives(header) == _directives(POLICY)
    assert "unsafe" not in header


def test_seller_and_admin_pages_carry_the_policy(client, seller_client):
    assert _directives(
        seller_client.get(reverse("portal:dashboard"))["Content-Security-Policy"]
    ) == (_directives(POLICY))
    staff = StaffUserFactory(is_superuser=True)
    client.force_login(staff)
    for path in (f"/{settings.ADMIN_URL}", reverse("admin:diagnostics_overview")):
        response = client.get(path)
        assert response.status_code == 200
        assert _directives(response["Content-Security-Policy"]) == _directives(POLICY)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=\"", re.I)


def _templates() -> list[Path]:
    roots = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(path for root in roots for path in root.rglob("*.html"))


def test_no_template_has_inline_script_or_style():
    offenders = []
    for path in _templates():
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, INLINE_STYLE):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert len(_templates()) > 40
    assert offenders == []


def test_no_python_html_has_a_style_attribute():
    offenders = []
    for path in ROOT.glob("*/*.py"):
        if path.parts[-2] in {".venv", "tests", "bench"}:
            continue
        if re.search(r"<[a-z]+[^>]*\sstyle=", path.read_text()):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.browser
def test_chromium_reports_a_violation_the_journeys_would_catch(live_server):
    """The journeys' watcher (tests/browser/conftest.py) looks for these words in Chromium's
    console: a style attribute set on a page of ours produces them."""
    import os

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CSP_VIOLATION

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    messages: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        page = browser.new_page()
        page.on("console", lambda message: messages.append(message.text))
        page.goto(f"{live_server.url}/accounts/login/")
        page.evaluate("document.body.setAttribute('style', 'color: red')")
        page.evaluate(
            "const s = document.createElement('script'); s.textContent = '1'; "
            "document.body.appendChild(s)"
        )
        page.wait_for_timeout(300)
        browser.close()
    assert any(marker in text for text in messages for marker in CSP_VIOLATION), messages
