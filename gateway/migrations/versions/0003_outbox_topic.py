"""The outbox's topic and attachment size: lists and per-customer write limits read them without the payload.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

import base64
import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OUTBOX = sa.table("outbox", sa.column("id", sa.Integer()), sa.column("kind", sa.String()),
                  sa.column("payload", sa.Text()), sa.column("topic", sa.String()),
                  sa.column("attachment_bytes", sa.Integer()))


def upgrade() -> None:
    op.add_column("outbox", sa.Column("topic", sa.String(64), nullable=True))
    op.add_column("outbox", sa.Column("attachment_bytes", sa.Integer(), nullable=False, server_default="0"))
    _fill_from_payloads()


def _fill_from_payloads() -> None:
    """Rows kept before this revision get their topic and size from their payload, one row at a time."""
    connection = op.get_bind()
    ids = connection.execute(sa.select(OUTBOX.c.id).where(OUTBOX.c.kind.in_(["reading", "message"]))).scalars()
    for row_id in list(ids):
        kind, payload = connection.execute(sa.select(OUTBOX.c.kind, OUTBOX.c.payload)
                                           .where(OUTBOX.c.id == row_id)).one()
        data = json.loads(payload)
        topic = data.get("meter_id") if kind == "reading" else data.get("kind")
        size = sum(len(base64.b64decode(a.get("content", ""))) for a in data.get("attachments", ()))
        connection.execute(sa.update(OUTBOX).where(OUTBOX.c.id == row_id).values(topic=topic, attachment_bytes=size))


def downgrade() -> None:
    op.drop_column("outbox", "attachment_bytes")
    op.drop_column("outbox", "topic")
