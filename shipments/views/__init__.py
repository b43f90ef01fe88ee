"""Shipment views, split by sub-domain: ``pages`` (the seller's list, detail, creation and
dashboard), ``imports`` (bulk files), ``labels`` and ``tracking`` (the carrier webhook)."""
