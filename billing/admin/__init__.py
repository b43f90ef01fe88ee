"""Billing's admin: operations' pricing console and finance's settlement console."""

from . import pricing, settlement  # noqa: F401 - registering their ModelAdmins
