"""The living demo: a realistic data set for a newcomer's `make run`, built once by
``python manage.py seed_demo`` through the apps' services (see ``stories``).

``demo_build`` runs inside the caller's transaction: it is all there, or nothing is.
``demo_exists`` tells whether it was built already (a second run changes nothing).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from diagnostics.services import stores_watch
from shipments.services import customs_alerts_send

from . import applicants, sellers, stories, warehouses
from .base import Demo, DemoStoryBroken

__all__ = ["DemoStoryBroken", "demo_build", "demo_emails", "demo_exists", "demo_logins"]

# Built in this order: each story's history runs forward in time on its own; the month
# closes and the tool's runs come last, when every story has happened.
STORY_ORDER = [
    ("main", stories.main_seller),
    ("monthly", stories.monthly_seller),
    ("id_expiring", stories.id_expiring_seller),
    ("troubled", stories.troubled_seller),
    ("closed", stories.closed_seller),
    ("address", stories.address_seller),
    ("trial", applicants.trial_seller),
    ("trial_review", applicants.trial_review_seller),
    ("in_review", applicants.in_review_seller),
    ("changes", applicants.changes_seller),
    ("rejected", applicants.rejected_seller),
    ("submitted", applicants.submitted_seller),
    ("draft", applicants.draft_seller),
]


def demo_logins() -> list[tuple[str, str, str]]:
    """(login, company, what the newcomer sees there) of every demo seller, main first."""
    companies = sellers.companies(timezone.localdate())
    return [
        (companies[key].email, companies[key].name, companies[key].state) for key, _ in STORY_ORDER
    ]


def demo_emails() -> list[str]:
    """The demo sellers' logins besides the main seller's."""
    return [email for email, _company, _state in demo_logins()[1:]]


def demo_exists() -> bool:
    return User.objects.filter(email__in=demo_emails()).exists()


def demo_build(
    *,
    ops: User,
    finance: User,
    main_owner: User,
    password_hash: str,
    now: datetime.datetime | None = None,
) -> None:
    """Build the whole demo as of ``now``. Raises ``DemoStoryBroken`` when a step does
    not turn out as its story says."""
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    demo = Demo(now=now, ops=ops, finance=finance, password_hash=password_hash)
    companies = sellers.companies(demo.today)
    users: dict[str, User] = {}
    warehouses.network_open(demo)  # the overseas warehouses, before any story ships
    for key, story in STORY_ORDER:
        company = companies[key]
        user = main_owner if key == "main" else demo.seller_add(company)
        users[key] = user
        story(demo, company, user)
        if key == "main":
            warehouses.main_seller_stocks_ahead(demo, company, user)
    stories.month_end(demo, users)
    stories.diagnostics_runs(demo, users)
    # The periodic tasks' work as of now: the daily watch's warnings, customs alerts.
    stores_watch(at=now)
    customs_alerts_send(now=now)
