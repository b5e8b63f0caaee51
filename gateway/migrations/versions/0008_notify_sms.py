"""SMS reminders: a kind is switched on per channel, so the subscriptions' key gains the channel.

The table is rebuilt (a new one filled from the old, which then goes) because SQLite cannot change a primary key in
place; every existing row was an e-mail switch.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _rebuild(with_channel: bool, columns: str, rows: str) -> None:
    """A new notify_subscriptions, with or without the channel in its key, holding `rows` of the old one."""
    columns_made: list[sa.schema.SchemaItem] = [
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("kind", sa.String(32), primary_key=True),
    ]
    if with_channel:
        columns_made.append(sa.Column("channel", sa.String(16), primary_key=True))
    op.create_table("notify_subscriptions_rebuilt", *columns_made, sa.Column("since", sa.DateTime(), nullable=False))
    op.execute(f"INSERT INTO notify_subscriptions_rebuilt ({columns}) {rows}")
    op.drop_table("notify_subscriptions")
    op.rename_table("notify_subscriptions_rebuilt", "notify_subscriptions")


def upgrade() -> None:
    _rebuild(True, "account_id, kind, channel, since",
             "SELECT account_id, kind, 'email', since FROM notify_subscriptions")


def downgrade() -> None:
    """SMS switches are dropped: the old table has no place for them."""
    _rebuild(False, "account_id, kind, since",
             "SELECT account_id, kind, since FROM notify_subscriptions WHERE channel = 'email'")
