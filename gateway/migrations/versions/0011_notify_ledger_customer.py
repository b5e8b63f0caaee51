"""Reminders for linked customers: the ledger names the customer each reminder was about, and its key includes it.

Existing rows were all about the account's own customer id, so they get that one.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OLD_KEY = ["account_id", "kind", "key", "channel"]
NEW_KEY = ["account_id", "customer_id", "kind", "key", "channel"]


def upgrade() -> None:
    with op.batch_alter_table("notify_ledger") as batch:
        batch.add_column(sa.Column("customer_id", sa.String(64), nullable=True))
    op.execute("UPDATE notify_ledger SET customer_id = "
               "(SELECT accounts.customer_id FROM accounts WHERE accounts.id = notify_ledger.account_id)")
    with op.batch_alter_table("notify_ledger") as batch:
        batch.alter_column("customer_id", existing_type=sa.String(64), nullable=False)
        batch.drop_constraint("uq_notify_ledger_once", type_="unique")
        batch.create_unique_constraint("uq_notify_ledger_once", NEW_KEY)


def downgrade() -> None:
    """Rows about linked customers go: the old key could not tell them from the account's own."""
    op.execute("DELETE FROM notify_ledger WHERE customer_id <> "
               "(SELECT accounts.customer_id FROM accounts WHERE accounts.id = notify_ledger.account_id)")
    with op.batch_alter_table("notify_ledger") as batch:
        batch.drop_constraint("uq_notify_ledger_once", type_="unique")
        batch.create_unique_constraint("uq_notify_ledger_once", OLD_KEY)
        batch.drop_column("customer_id")
