"""Throttle counters reserve each attempt in one statement: epoch-second times the database adds delays to.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Counters live an hour at most: dropping them forgets recent failures, nothing else.
    op.drop_table("throttle")
    op.create_table(
        "throttle",
        sa.Column("key", sa.String(160), primary_key=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.Float(), nullable=False),
        sa.Column("last_at", sa.Float(), nullable=False, index=True),
        sa.Column("blocked_until", sa.Float(), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("throttle")
    op.create_table(
        "throttle",
        sa.Column("key", sa.String(160), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure", sa.DateTime(), nullable=False),
    )
