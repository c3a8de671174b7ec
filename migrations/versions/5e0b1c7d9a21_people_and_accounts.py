"""people and accounts: staff roles as rows; bodies, organisations, facilitators as relations

Revision ID: 5e0b1c7d9a21
Revises: d96c176334ab
Create Date: 2026-12-02 05:00:00

Data: e-mails become lower-case (one account per address: a unique index on lower(email));
admin/secretariat/council roles move to user_role; a committee user's committee_name becomes an
organisation (a verified lokaludvalg) with that user as its person; every secretariat and admin
user facilitates every existing assembly (what the portal did implicitly until now). Member and
resident accounts keep no role: being a member is the member row, as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.models.base

revision = "5e0b1c7d9a21"
down_revision = 'd96c176334ab'
branch_labels = None
depends_on = None

ROLE = sa.Enum("admin", "secretariat", "council", name="role", native_enum=False, length=32)
KIND = sa.Enum(
    "lokaludvalg", "association", "other", name="organisationkind", native_enum=False, length=32
)


def _tables() -> None:
    op.create_table(
        "user_role",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", ROLE, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_user_role_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_role")),
        sa.UniqueConstraint("user_id", "role", name=op.f("uq_user_role_user_id")),
    )
    with op.batch_alter_table("user_role") as batch_op:
        batch_op.create_index(batch_op.f("ix_user_role_user_id"), ["user_id"], unique=False)
    op.create_table(
        "body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_body")),
        sa.UniqueConstraint("name", name=op.f("uq_body_name")),
    )
    op.create_table(
        "body_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["body.id"],
            name=op.f("fk_body_membership_body_id_body"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_body_membership_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_body_membership")),
        sa.UniqueConstraint("body_id", "user_id", name=op.f("uq_body_membership_body_id")),
    )
    with op.batch_alter_table("body_membership") as batch_op:
        batch_op.create_index(batch_op.f("ix_body_membership_user_id"), ["user_id"], unique=False)
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("kind", KIND, nullable=False),
        sa.Column("district", sa.String(length=120), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("created_at", portal.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("name", name=op.f("uq_organisation_name")),
    )
    op.create_table(
        "organisation_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_person_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_organisation_person_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_person")),
        sa.UniqueConstraint(
            "organisation_id", "user_id", name=op.f("uq_organisation_person_organisation_id")
        ),
    )
    with op.batch_alter_table("organisation_person") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_person_user_id"), ["user_id"], unique=False
        )
    op.create_table(
        "facilitator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assembly_id"],
            ["assembly.id"],
            name=op.f("fk_facilitator_assembly_id_assembly"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_facilitator_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilitator")),
        sa.UniqueConstraint("assembly_id", "user_id", name=op.f("uq_facilitator_assembly_id")),
    )
    with op.batch_alter_table("facilitator") as batch_op:
        batch_op.create_index(batch_op.f("ix_facilitator_user_id"), ["user_id"], unique=False)
    op.create_table(
        "eligible_postcode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assembly_id", sa.Integer(), nullable=False),
        sa.Column("postcode", sa.String(length=4), nullable=False),
        sa.ForeignKeyConstraint(
            ["assembly_id"],
            ["assembly.id"],
            name=op.f("fk_eligible_postcode_assembly_id_assembly"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eligible_postcode")),
        sa.UniqueConstraint(
            "assembly_id", "postcode", name=op.f("uq_eligible_postcode_assembly_id")
        ),
    )


def _move_data() -> None:
    conn = op.get_bind()
    users = sa.table(
        "user",
        sa.column("id", sa.Integer),
        sa.column("email", sa.String),
        sa.column("role", sa.String),
        sa.column("committee_name", sa.String),
    )
    conn.execute(sa.update(users).values(email=sa.func.lower(users.c.email)))
    rows = conn.execute(sa.select(users.c.id, users.c.role, users.c.committee_name)).all()
    staff = [(uid, role) for uid, role, _ in rows if role in ("admin", "secretariat", "council")]
    if staff:
        conn.execute(
            sa.text("INSERT INTO user_role (user_id, role) VALUES (:u, :r)"),
            [{"u": uid, "r": role} for uid, role in staff],
        )
    organisations: dict[str, int] = {}
    for uid, role, committee in rows:
        if role != "committee" or not committee:
            continue
        if committee not in organisations:
            conn.execute(
                sa.text(
                    "INSERT INTO organisation (name, kind, district, verified, created_at) "
                    "VALUES (:n, 'lokaludvalg', '', :v, CURRENT_TIMESTAMP)"
                ),
                {"n": committee, "v": True},
            )
            organisations[committee] = conn.execute(
                sa.text("SELECT id FROM organisation WHERE name = :n"), {"n": committee}
            ).scalar_one()
        conn.execute(
            sa.text("INSERT INTO organisation_person (organisation_id, user_id) VALUES (:o, :u)"),
            {"o": organisations[committee], "u": uid},
        )
    facilitators = [uid for uid, role, _ in rows if role in ("admin", "secretariat")]
    assemblies = conn.execute(sa.text("SELECT id FROM assembly")).scalars().all()
    pairs = [{"a": a, "u": u} for a in assemblies for u in facilitators]
    if pairs:
        conn.execute(
            sa.text("INSERT INTO facilitator (assembly_id, user_id) VALUES (:a, :u)"), pairs
        )


def upgrade() -> None:
    _tables()
    _move_data()
    # Not batch mode: recreating "user" on SQLite would drop it, and with foreign keys on that
    # cascades to every row that refers to a user. SQLite (3.35+) drops columns natively.
    op.drop_column("user", "committee_name")
    op.drop_column("user", "role")
    op.create_index("uq_user_email_lower", "user", [sa.text("lower(email)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_user_email_lower", table_name="user")
    op.add_column("user", sa.Column("committee_name", sa.String(length=160), nullable=True))
    op.add_column(
        "user", sa.Column("role", sa.String(length=32), nullable=False, server_default="resident")
    )
    op.execute(
        'UPDATE "user" SET role = COALESCE((SELECT MIN(role) FROM user_role '
        "WHERE user_role.user_id = \"user\".id), 'resident')"
    )
    for table in (
        "eligible_postcode",
        "facilitator",
        "organisation_person",
        "organisation",
        "body_membership",
        "body",
        "user_role",
    ):
        op.drop_table(table)
