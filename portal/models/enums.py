"""Every state the domain knows, as string enums stored by value."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Staff kinds; members, facilitators, council bodies and organisations are relations."""

    ADMIN = "admin"
    SECRETARIAT = "secretariat"
    COUNCIL = "council"


class AssemblyStatus(StrEnum):
    PLANNED = "planned"  # not public yet
    ACTIVE = "active"
    CONCLUDED = "concluded"


class PhaseKind(StrEnum):
    RECRUITMENT = "recruitment"
    SELECTION = "selection"
    LEARNING = "learning"
    DELIBERATION = "deliberation"
    DRAFTING = "drafting"
    PUBLIC_COMMENT = "public_comment"
    FINAL = "final"
    COUNCIL_ANSWER = "council_answer"
    FOLLOW_UP = "follow_up"


PHASE_ORDER: tuple[PhaseKind, ...] = tuple(PhaseKind)


class MaterialKind(StrEnum):
    EXPERT_TALK = "expert_talk"
    REPORT = "report"
    VIDEO = "video"
    STAKEHOLDER_HEARING = "stakeholder_hearing"
    OTHER = "other"


class ChosenBy(StrEnum):
    ASSEMBLY = "assembly"
    ORGANISERS = "organisers"


class DisplayConsent(StrEnum):
    HIDDEN = "hidden"
    FIRST_NAME_DISTRICT = "first_name_district"
    FULL_NAME = "full_name"


class MemberStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    REPLACED = "replaced"


class RecommendationStatus(StrEnum):
    WORKING = "working"  # members only, in the workspace
    DRAFT = "draft"  # published for public comment
    FINAL = "final"


class SupportLevel(StrEnum):
    SUPPORT = "support"
    CAN_LIVE_WITH = "can_live_with"
    CANNOT_SUPPORT = "cannot_support"


class CommentStatus(StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"  # moderated away; kept for the record
    PENDING = "pending"  # waiting for a moderator (pre-moderated assemblies)


class ResponsePosition(StrEnum):
    """An organisation's position in its consultation response (høringssvar)."""

    SUPPORTS = "supports"
    SUPPORTS_WITH_CHANGES = "supports_with_changes"
    OPPOSES = "opposes"
    OTHER = "other"


class ModerationReason(StrEnum):
    """The short list of public reasons for hiding input (free text may add to it)."""

    PERSONAL_ATTACK = "personal_attack"  # insulting or harassing
    PERSONAL_DATA = "personal_data"  # reveals someone's personal data
    DISCRIMINATION = "discrimination"
    SPAM = "spam"  # advertising or repeated posts
    OFF_TOPIC = "off_topic"
    ILLEGAL = "illegal"


class ModerationAction(StrEnum):
    HIDE = "hide"
    RESTORE = "restore"  # shown again (e.g. after an appeal)
    APPROVE = "approve"  # a pre-moderated input released
    KEEP = "keep"  # a report dismissed
    APPEAL = "appeal"  # the author's one appeal
    REJECT_APPEAL = "reject_appeal"


class DispositionKind(StrEnum):
    """What happened to a piece of input (the response ledger)."""

    ADOPTED = "adopted"  # indarbejdet
    PARTLY_ADOPTED = "partly_adopted"  # delvist indarbejdet
    NOT_ADOPTED = "not_adopted"  # ikke indarbejdet
    OUTSIDE_REMIT = "outside_remit"  # uden for rammen
    NOTED = "noted"  # taget til efterretning


class DispositionState(StrEnum):
    PROPOSED = "proposed"  # a member's suggestion, not public
    RECORDED = "recorded"  # the facilitator's decision, public


class AnswerStatus(StrEnum):
    PENDING = "pending"
    ADOPTED = "adopted"  # will do now
    ADOPTED_LATER = "adopted_later"
    PARTLY = "partly"
    INVESTIGATE = "investigate"  # to be looked into further
    REJECTED = "rejected"


class ImplementationStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    STOPPED = "stopped"
