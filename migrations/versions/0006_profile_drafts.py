"""profile drafts read from CVs, awaiting an adviser's review

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profile_drafts",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("draft", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("profile_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_drafts_expires_at"), ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("profile_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_drafts_expires_at"))
    op.drop_table("profile_drafts")
