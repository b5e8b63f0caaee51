"""The outbox's finish time indexed: each portal process asks every second which writes finished since it looked.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_outbox_finished_at", "outbox", ["finished_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_finished_at", table_name="outbox")
