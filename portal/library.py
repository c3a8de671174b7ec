"""What the public sees of meetings and materials: only published ones (staff preview sees all)."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import NotFound
from .models import Assembly, Material, MaterialKind, Meeting


@dataclass
class MaterialFilter:
    kind: MaterialKind | None = None
    meeting_id: int | None = None

    @property
    def active(self) -> bool:
        return self.kind is not None or self.meeting_id is not None


def visible_meetings(assembly: Assembly, preview: bool = False) -> list[Meeting]:
    """The assembly's meetings in date order; unpublished ones only in the staff preview."""
    return [m for m in assembly.meetings if m.published or preview]


def visible_materials(assembly: Assembly, preview: bool = False) -> list[Material]:
    """Materials the public may see: published, and not tied to an unpublished meeting."""
    hidden = {m.id for m in assembly.meetings if not m.published}
    return [
        m for m in assembly.materials if preview or (m.published and m.meeting_id not in hidden)
    ]


def get_public_meeting(assembly: Assembly, meeting_id: int, preview: bool = False) -> Meeting:
    """One meeting page's meeting, or NotFound when it does not exist or is not published."""
    meeting = next((m for m in visible_meetings(assembly, preview) if m.id == meeting_id), None)
    if meeting is None:
        raise NotFound(f"{assembly.slug}/meetings/{meeting_id}")
    return meeting


def filter_materials(
    assembly: Assembly, filters: MaterialFilter, preview: bool = False
) -> list[Material]:
    """The public material list, filtered by kind and by meeting."""
    return [
        m
        for m in visible_materials(assembly, preview)
        if (filters.kind is None or m.kind == filters.kind)
        and (filters.meeting_id is None or m.meeting_id == filters.meeting_id)
    ]


def get_public_file(assembly: Assembly, material_id: int, preview: bool = False) -> Material:
    """A visible material that has a stored file, or NotFound."""
    material = next((m for m in visible_materials(assembly, preview) if m.id == material_id), None)
    if material is None or not material.stored_name:
        raise NotFound(f"{assembly.slug}/materials/{material_id}/file")
    return material
