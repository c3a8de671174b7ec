"""Who runs this installation: one municipality, its contact and its privacy text (one row)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class SiteSettings(Base):
    """The municipality's identity shown in the header and footer; admins edit it in the browser."""

    __tablename__ = "site_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality: Mapped[str] = mapped_column(String(120))
    logo_url: Mapped[str] = mapped_column(String(500), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_url: Mapped[str] = mapped_column(String(500), default="")
    data_controller: Mapped[str] = mapped_column(String(200))
    privacy_text: Mapped[str] = mapped_column(Text, default="")
    privacy_text_en: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
