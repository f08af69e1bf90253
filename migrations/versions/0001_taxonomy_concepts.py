"""Taxonomy concepts table.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "taxonomy_concepts",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("alt_labels", sa.JSON(), nullable=False),
        sa.Column("esco_uri", sa.String(200), nullable=True),
        sa.Column("soc2020", sa.String(8), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
    )
    op.create_index("ix_taxonomy_concepts_kind", "taxonomy_concepts", ["kind"])
    op.create_index("ix_taxonomy_concepts_esco_uri", "taxonomy_concepts", ["esco_uri"])


def downgrade() -> None:
    op.drop_index("ix_taxonomy_concepts_esco_uri", "taxonomy_concepts")
    op.drop_index("ix_taxonomy_concepts_kind", "taxonomy_concepts")
    op.drop_table("taxonomy_concepts")
