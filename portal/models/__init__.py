"""Every typed model, importable from one place (Alembic reads Base.metadata from here)."""

from .accounts import LoginAttempt, User
from .assemblies import Assembly, Material, Meeting, Member, Phase
from .base import Base, utcnow
from .enums import (
    AnswerStatus,
    AssemblyStatus,
    ChosenBy,
    CommentStatus,
    DisplayConsent,
    ImplementationStatus,
    MaterialKind,
    MemberStatus,
    PhaseKind,
    RecommendationStatus,
    Role,
    SupportLevel,
)
from .participation import AuditEvent, Comment, CommitteeInput, CouncilAnswer
from .recommendations import (
    MinoritySigner,
    MinorityStatement,
    Recommendation,
    RecommendationRevision,
    SupportVote,
)
from .workspace import GroupMembership, Post, RecommendationProposal, Thread, WorkingGroup

__all__ = [
    "AnswerStatus",
    "Assembly",
    "AssemblyStatus",
    "AuditEvent",
    "Base",
    "ChosenBy",
    "Comment",
    "CommentStatus",
    "CommitteeInput",
    "CouncilAnswer",
    "DisplayConsent",
    "GroupMembership",
    "ImplementationStatus",
    "LoginAttempt",
    "Material",
    "MaterialKind",
    "Meeting",
    "Member",
    "MemberStatus",
    "MinoritySigner",
    "MinorityStatement",
    "Phase",
    "Post",
    "PhaseKind",
    "Recommendation",
    "RecommendationProposal",
    "RecommendationRevision",
    "RecommendationStatus",
    "Role",
    "SupportLevel",
    "SupportVote",
    "Thread",
    "User",
    "WorkingGroup",
    "utcnow",
]
