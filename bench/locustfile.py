"""Load scenarios for bench/bench_load.py (locust, headless). Not a test.

Each scenario is a locust user class; bench_load.py picks one by name and sets the offered
load through the environment:

    LOAD_SELLERS          how many seeded sellers there are
    LOAD_SELLER_EMAIL     their addresses, "{n}" standing for 0 … LOAD_SELLERS - 1
    LOAD_PASSWORD         their password
    LOAD_SESSIONS_FILE    one signed-in session key per seller, line n for seller n; when
                          given, users start signed in instead of logging in
    LOAD_RATE_PER_USER    requests per second each simulated user offers (constant throughput)

The portal runs with production settings behind a simulated TLS proxy: every request says
``X-Forwarded-Proto: https`` and carries a same-origin ``Referer``, as a browser behind the
real proxy would; cookies marked Secure travel over the loopback's plain HTTP.

Scenarios: ``DashboardUser`` (the dashboard), ``ShipmentCreationUser`` (POST the shipment
form with a new order number each time: 50 creations/s without an error) and
``DiagnosticsUser`` (ask the diagnostics tool why the seller's refused order was refused,
``LOAD_REFUSED_ORDER``, seeded once per seller by bench_load.py).
"""

import itertools
import os
import re
import uuid
from http.cookiejar import Cookie, DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlsplit

from locust import constant_throughput, task
from locust.contrib.fasthttp import FastHttpUser

SELLERS = int(os.environ.get("LOAD_SELLERS", "20"))
SELLER_EMAIL = os.environ.get("LOAD_SELLER_EMAIL", "bench-seller-{n}@load.jingluo.local")
PASSWORD = os.environ.get("LOAD_PASSWORD", "bench-load-password-2026")
RATE_PER_USER = float(os.environ.get("LOAD_RATE_PER_USER", "5"))
REFUSED_ORDER = os.environ.get("LOAD_REFUSED_ORDER", "BENCH-RU-0001")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The store the shipment form preselects (the seller's store for orders).
SELECTED_STORE = re.compile(r'<option value="(\d+)"[^>]*\bselected\b')
CREATED = re.compile(r"^/shipments/\d+/$")
_next_seller = itertools.count()


def seller_email(n: int) -> str:
    return SELLER_EMAIL.format(n=n)


def _sessions() -> list[str]:
    path = os.environ.get("LOAD_SESSIONS_FILE")
    return Path(path).read_text().split() if path and Path(path).exists() else []


SESSIONS = _sessions()


def _cookie(name: str, value: str, host: str) -> Cookie:
    domain = urlsplit(host).hostname
    return Cookie(
        0, name, value, None, False, domain, False, False, "/", True, True, None, False,
        None, None, {},
    )  # fmt: skip


class _BehindTlsProxy(DefaultCookiePolicy):
    """The proxy terminates TLS, so on the loopback a Secure cookie goes over plain HTTP."""

    def return_ok_secure(self, cookie, request):
        return True


class PortalUser(FastHttpUser):
    """A signed-in browser: login once, then ``get`` pages and ``post_form`` forms."""

    abstract = True
    wait_time = constant_throughput(RATE_PER_USER)

    def on_start(self):
        self.client.cookiejar.set_policy(_BehindTlsProxy())
        self.origin = "https://" + urlsplit(self.host).netloc
        self.log_in()

    def log_in(self):
        raise NotImplementedError

    def _headers(self, path: str) -> dict:
        return {"X-Forwarded-Proto": "https", "Referer": self.origin + path}

    def get(self, path: str, *, name: str | None = None, **kwargs):
        return self.client.get(path, headers=self._headers(path), name=name or path, **kwargs)

    def post_form(self, path: str, data: dict, *, form_path: str | None = None, name=None):
        """GET the page holding the form (for its CSRF token), then POST it."""
        page = self.get(form_path or path, name=f"{name or path} (form)")
        match = CSRF_INPUT.search(page.text or "")
        token = match.group(1) if match else ""
        return self.client.post(
            path,
            data={"csrfmiddlewaretoken": token, **data},
            headers=self._headers(form_path or path),
            name=name or path,
            allow_redirects=False,
        )


class SellerUser(PortalUser):
    abstract = True

    def log_in(self):
        n = next(_next_seller) % SELLERS
        self.email = seller_email(n)
        if SESSIONS:
            # Signed in already (bench_load.py made the session): no password hashing here.
            self.client.cookiejar.set_cookie(_cookie("sessionid", SESSIONS[n], self.host))
            return
        response = self.post_form(
            "/accounts/login/", {"login": self.email, "password": PASSWORD}, name="login"
        )
        if response.status_code != 302:
            raise RuntimeError(f"login of {self.email} failed: HTTP {response.status_code}")


class DashboardUser(SellerUser):
    """The seller's dashboard, as sellers keep it open and reload it."""

    @task
    def dashboard(self):
        with self.client.get(
            "/dashboard/",
            headers=self._headers("/dashboard/"),
            name="dashboard",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or 'id="dashboard-shipments"' not in response.text:
                response.failure(f"HTTP {response.status_code}, not the dashboard")


class ShipmentCreationUser(SellerUser):
    """A seller creating shipments one after another through the web form: 华东 → US
    West, 500 g, a new platform order number each time. The form is read once for its
    CSRF token and the preselected store; each POST must answer 302 to the new
    shipment's page (a refusal, a duplicate or a form error stays on the form: a failure)."""

    def on_start(self):
        super().on_start()
        page = self.get("/shipments/new/", name="shipment form")
        token, store = CSRF_INPUT.search(page.text or ""), SELECTED_STORE.search(page.text or "")
        if page.status_code != 200 or token is None or store is None:
            raise RuntimeError(f"{self.email}: no shipment form (HTTP {page.status_code})")
        self.token, self.store = token.group(1), store.group(1)
        self.prefix = f"LOAD-{uuid.uuid4().hex[:10]}"
        self.orders = itertools.count(1)

    @task
    def create(self):
        data = {
            "csrfmiddlewaretoken": self.token,
            "store": self.store,
            "origin": "east",
            "order_number": f"{self.prefix}-{next(self.orders):06d}",
            "recipient_name": "Jane Doe",
            "address": "1 Market St",
            "city": "San Francisco",
            "postcode": "94105",
            "country": "US",
            "weight_g": "500",
            "contents": "T-shirts",
            "declared_value": "12.50",
        }
        with self.client.post(
            "/shipments/new/",
            data=data,
            headers=self._headers("/shipments/new/"),
            name="create shipment",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = urlsplit(response.headers.get("Location", "")).path
            if response.status_code != 302 or not CREATED.match(location):
                response.failure(f"HTTP {response.status_code}, not created ({location})")
        self.message_shown()

    def message_shown(self):
        """The "shipment created" message is shown by the page the redirect leads to, which
        this user does not load: drop it as that page would. Kept, the messages would pile
        up in the cookie and then in the session, a write on every request that no seller
        in a browser causes."""
        for cookie in [each for each in self.client.cookiejar if each.name == "messages"]:
            self.client.cookiejar.clear(cookie.domain, cookie.path, cookie.name)


class DiagnosticsUser(SellerUser):
    """A seller asking the diagnostics tool why an order was refused, by its number."""

    @task
    def diagnose(self):
        path = f"/diagnostics/?order={REFUSED_ORDER}"
        with self.client.get(
            path, headers=self._headers(path), name="diagnose order", catch_response=True
        ) as response:
            text = response.text or ""
            if response.status_code != 200 or 'data-root-cause="lane_not_served"' not in text:
                response.failure(f"HTTP {response.status_code}, not the diagnosis")


# --- the seller API (bench/bench_api.py) ------------------------------------------------
from api_orders import api_order  # noqa: E402 - beside this file (locust puts it on the path)

API_KEYS = (
    Path(os.environ["LOAD_API_KEYS_FILE"]).read_text().split()
    if os.environ.get("LOAD_API_KEYS_FILE") and Path(os.environ["LOAD_API_KEYS_FILE"]).exists()
    else []
)
_next_key = itertools.count()


class ApiUser(FastHttpUser):
    abstract = True
    wait_time = constant_throughput(RATE_PER_USER)

    def on_start(self):
        key = API_KEYS[next(_next_key) % len(API_KEYS)]
        self.headers = {
            "Authorization": f"Bearer {key}",
            "Content-Type": "application/json",
            "X-Forwarded-Proto": "https",
        }
        self.prefix = f"API-{uuid.uuid4().hex[:10]}"
        self.orders = itertools.count(1)


class ApiCreationUser(ApiUser):
    """An ERP creating shipments one after another: a new order and key each time; each
    must answer 201."""

    @task
    def create(self):
        number = f"{self.prefix}-{next(self.orders):06d}"
        with self.client.post(
            "/api/v1/shipments",
            json=api_order(number),
            headers={**self.headers, "Idempotency-Key": number},
            name="api create",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"HTTP {response.status_code}: {(response.text or '')[:200]}")


class ApiReplayUser(ApiUser):
    """An ERP retrying the same order with the same Idempotency-Key: each must be the first
    answer replayed (201, Idempotent-Replayed: true)."""

    def on_start(self):
        super().on_start()
        self.order = api_order(f"{self.prefix}-replay")
        self.key = f"{self.prefix}-replay"
        first = self.client.post(
            "/api/v1/shipments",
            json=self.order,
            headers={**self.headers, "Idempotency-Key": self.key},
            name="api first create",
        )
        if first.status_code != 201:
            raise RuntimeError(f"first create: HTTP {first.status_code}")

    @task
    def replay(self):
        with self.client.post(
            "/api/v1/shipments",
            json=self.order,
            headers={**self.headers, "Idempotency-Key": self.key},
            name="api replay",
            catch_response=True,
        ) as response:
            if response.status_code != 201 or response.headers.get("Idempotent-Replayed") != "true":
                response.failure(f"HTTP {response.status_code}, not a replay")
