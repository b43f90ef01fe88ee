"""Billing's admin: operations' pricing console and finance's settlement console."""

from . import settlement  # noqa: F401 - registering its ModelAdmins
