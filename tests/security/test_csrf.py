"""CSRF on every form: every URL of the seller apps and the accounts pages refuses a POST
that carries no CSRF token, even from a signed-in seller, and changes nothing; every form
the pages render carries the token. The exemptions are listed here, each with its reason:
a new ``csrf_exempt`` view anywhere in the URL configuration fails this test until it is
added below."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.http import HttpResponseForbidden
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse

from onboarding.models import Application
from tests.accounts.factories import SellerUserFactory
from tests.test_isolation import OBJECT_URLS

pytestmark = pytest.mark.django_db

# Path → why it may take a POST without a CSRF token. Nothing else may.
EXEMPT = {
    "/shipments/webhooks/carrier/": (
        "the carrier's tracking webhook: a server-to-server call with no browser session "
        "or cookie to ride on, authenticated by an HMAC signature over the body instead"
    ),
}
# Path prefix → why every view under it may: the seller API authenticates each request by
# its Bearer key alone (no session authentication, so no cookie a forged page could ride on;
# tests/api/test_bad_input.py: a signed-in user gets 401 without a key).
EXEMPT_PREFIXES = {
    "/api/": "the seller API: Bearer keys only, never a session cookie (api.authentication)",
}
NAMESPACES = {"core", "accounts", "onboarding", "shipments", "billing", "diagnostics"}
# The POST sweep fills parameters with placeholders: the CSRF check runs before the view
# looks anything up. The form scan needs pages that render, so it takes real objects from
# the isolation sweep's OBJECT_URLS, each made for a seller of its own.
PLACEHOLDERS = {"int": 999999, "slug": "x", "string": "x", "path": "x"}
CSRF_REFUSED = "X-Test-Csrf-Refused"


def csrf_refused(request, reason=""):
    """Stands in for Django's CSRF failure view, so a 403 is known to be CSRF's."""
    response = HttpResponseForbidden(reason)
    response[CSRF_REFUSED] = "1"
    return response


@pytest.fixture(autouse=True)
def _mark_csrf_failures(settings):
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_refused"


def _walk(patterns, prefix="", namespace=None):
    """(path pattern, namespace, name, callback, {param: converter}) for every URL pattern."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield route, namespace, entry.name, entry.callback, entry.pattern.converters


def _converter(param: str, converters: dict) -> str:
    return type(converters[param]).__name__.removesuffix("Converter").lower()


def test_no_view_is_csrf_exempt_except_those_listed():
    exempt = {
        "/" + route.lstrip("^").rstrip("$")
        for route, _ns, _name, callback, _params in _walk(get_resolver().url_patterns)
        if getattr(callback, "csrf_exempt", False)
    }

    unjustified = {
        path for path in exempt - EXEMPT.keys() if not path.startswith(tuple(EXEMPT_PREFIXES))
    }
    assert unjustified == set(), "a new csrf_exempt view: justify it in EXEMPT"


def _seller_and_account_urls() -> list[tuple[str, dict, dict]]:
    """(URL name, its converters, placeholder kwargs) for the seller apps and accounts."""
    urls = []
    for _route, namespace, name, _callback, converters in _walk(get_resolver().url_patterns):
        if namespace in NAMESPACES and name:
            placeholders = {
                param: PLACEHOLDERS[_converter(param, converters)] for param in converters
            }
            urls.append((f"{namespace}:{name}", converters, placeholders))
        elif namespace is None and name and name.startswith(("account_", "mfa_")):
            # allauth's pages (sign-up, login, password, e-mail, two-factor): no namespace.
            try:
                reverse(name)
            except NoReverseMatch:
                continue  # a link with a key in it: its form is reached from the link
            urls.append((name, {}, {}))
    return urls


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in NAMESPACES | {"auth", "platforms"}
    }


def test_every_post_without_a_token_is_refused_and_changes_nothing(seller_user):
    urls = [(name, reverse(name, kwargs=kwargs)) for name, _c, kwargs in _seller_and_account_urls()]
    assert len(urls) >= 20
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(seller_user)
    before = _row_counts()

    accepted = []
    for name, url in urls:
        response = browser.post(url, {"kind": "licence", "active": "0", "email": "x@example.cn"})
        if url in EXEMPT:
            continue
        if response.status_code != 403 or response.get(CSRF_REFUSED) != "1":
            accepted.append((name, url, response.status_code))

    assert accepted == []
    assert _row_counts() == before


def test_the_same_post_with_the_token_goes_through(seller_user):
    """The refusal above is the token's doing, not the view's."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(seller_user)
    browser.get(reverse("onboarding:index"))  # sets the CSRF cookie
    token = browser.cookies["csrftoken"].value

    refused = browser.post(reverse("onboarding:application_new"))
    accepted = browser.post(reverse("onboarding:application_new"), {"csrfmiddlewaretoken": token})

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert Application.objects.filter(seller=seller_user.seller).count() == 1


class _Forms(HTMLParser):
    """The POST forms of a page: their action and whether they carry the CSRF token."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            self._open = {"action": attrs.get("action") or "", "token": False}
            self.forms.append(self._open)
        elif tag == "input" and self._open and attrs.get("name") == "csrfmiddlewaretoken":
            self._open["token"] = bool(attrs.get("value"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def test_every_form_on_the_pages_carries_the_token_and_posts_to_a_walked_url(seller_user):
    urls = _seller_and_account_urls()
    walked = {name for name, _c, _kwargs in urls}
    # Pages that fail are other tests' business (the isolation sweep, the apps' own):
    # here only the forms of the pages that render count.
    client = Client(raise_request_exception=False)

    forms, pages = [], 0
    for name, converters, _placeholders in urls:
        owner = seller_user
        if converters and name in OBJECT_URLS:
            owner = SellerUserFactory()
            url = reverse(name, kwargs=OBJECT_URLS[name](owner))
        elif converters:
            continue  # no object to show: the isolation sweep asks for it in OBJECT_URLS
        else:
            url = reverse(name)
        client.force_login(owner)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        parser = _Forms()
        parser.feed(response.content.decode())
        forms += [(name, url, form) for form in parser.forms]

    assert pages >= 8
    assert forms, "no POST form found: the walk is broken"
    without_token = [(name, form["action"]) for name, _url, form in forms if not form["token"]]
    assert without_token == []
    targets = {resolve(urlsplit(form["action"]).path or url).view_name for _n, url, form in forms}
    assert targets - walked - {"set_language"} == set(), "forms post outside the walk"
    assert {"onboarding:application_new", "accounts:team", "account_logout"} <= targets
