"""Celery entry points of shipments. Each takes an id, loads the row and calls one service."""
