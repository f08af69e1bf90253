"""consent epochs, server-side web sessions, profiles without server-assigned keys

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:00:00.000000

- ``residents.consent_epoch``: recruiters' pseudonyms are keyed on it, and it is bumped at every
  change of consent.
- ``web_sessions``: a signed-in browser, so that signing out ends the session on the server.
- Stored profiles lose any ``id``, ``version`` or ``consents`` of their own: those are the
  server's (the row's id, its version counter, the consents table). A profile carrying another
  resident's id made two records look like one to the matching index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_SERVER_KEYS = ("id", "version", "consents")


def upgrade() -> None:
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consent_epoch", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["token_id"], ["api_tokens.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_sessions_token_id"), ["token_id"], unique=False)

    residents = sa.table("residents", sa.column("id", sa.String), sa.column("profile", sa.JSON))
    connection = op.get_bind()
    for resident_id, profile in connection.execute(sa.select(residents.c.id, residents.c.profile)).all():
        if isinstance(profile, dict) and any(key in profile for key in _SERVER_KEYS):
            cleaned = {k: v for k, v in profile.items() if k not in _SERVER_KEYS}
            connection.execute(residents.update().where(residents.c.id == resident_id).values(profile=cleaned))


def downgrade() -> None:
    with op.batch_alter_table("web_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_sessions_token_id"))
    op.drop_table("web_sessions")
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.drop_column("consent_epoch")
