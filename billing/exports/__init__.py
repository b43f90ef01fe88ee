"""Statement exports: the writers (CSV, XLSX, PDF) and the finance admin's export pages.
What to export and when is decided in ``billing.services.exports``; the rows come from
``billing.selectors_exports``."""
