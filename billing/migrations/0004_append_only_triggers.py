"""Money rows are append-only, enforced by PostgreSQL: ledger entries, issued statements
and their lines, payments and top-ups refuse UPDATE and DELETE. A correction is a new
ledger entry (an adjustment that lands on a later statement)."""

from django.db import migrations

TABLES = (
    "billing_ledgerentry",
    "billing_statement",
    "billing_statementline",
    "billing_payment",
    "billing_topup",
)

FUNCTION = """
CREATE OR REPLACE FUNCTION billing_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% on % is refused: billing rows are append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = """
CREATE TRIGGER {table}_append_only
BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION billing_refuse_change();
"""


def forward_sql() -> list[str]:
    return [FUNCTION] + [TRIGGER.format(table=table) for table in TABLES]


def backward_sql() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in TABLES] + [
        "DROP FUNCTION IF EXISTS billing_refuse_change();"
    ]


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_ledger_statements")]

    operations = [migrations.RunSQL(forward_sql(), backward_sql())]
