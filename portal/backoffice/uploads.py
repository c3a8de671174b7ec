"""Uploaded files: the type found from the content (magic bytes), a size limit, safe names on disk.

Files live under UPLOAD_DIR (never static/) with a random name; the name shown for download is
sanitised. See docs/adr/0008-upload-type-by-content.md.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask_babel import lazy_gettext as _l

from ..errors import Invalid

log = logging.getLogger(__name__)
CHUNK = 64 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls/.ppt
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": ("application/vnd.oasis.opendocument.text", "odt"),
    b"application/vnd.oasis.opendocument.spreadsheet": (
        "application/vnd.oasis.opendocument.spreadsheet",
        "ods",
    ),
    b"application/vnd.oasis.opendocument.presentation": (
        "application/vnd.oasis.opendocument.presentation",
        "odp",
    ),
}
OOXML_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
LEGACY_OFFICE = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass(frozen=True)
class Detected:
    content_type: str
    extension: str

    @property
    def is_document(self) -> bool:
        """PDFs and office files (which the accessibility law asks an accessible version for)."""
        return not self.content_type.startswith("image/")


def _zip_type(path: Path) -> Detected | None:
    """OOXML (docx/xlsx/pptx) or ODF (odt/ods/odp), told apart by what the zip holds."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                found = ODF_TYPES.get(archive.read("mimetype").strip())
                return Detected(*found) if found else None
            if "[Content_Types].xml" in names:
                for prefix, found_ooxml in OOXML_TYPES.items():
                    if any(n.startswith(prefix) for n in names):
                        return Detected(*found_ooxml)
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def detect(path: Path, claimed_name: str) -> Detected | None:
    """The file's real type from its first bytes (and a zip's contents); None when not allowed."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(b"%PDF-"):
        return Detected("application/pdf", "pdf")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Detected("image/png", "png")
    if head.startswith(b"\xff\xd8\xff"):
        return Detected("image/jpeg", "jpg")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Detected("image/gif", "gif")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Detected("image/webp", "webp")
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(path)
    if head.startswith(OLE2):
        # An OLE2 container says little about itself in its header; take the claimed extension
        # among the three legacy office kinds, and Word's when it claims none of them.
        extension = claimed_name.rsplit(".", 1)[-1].lower() if "." in claimed_name else ""
        extension = extension if extension in LEGACY_OFFICE else "doc"
        return Detected(LEGACY_OFFICE[extension], extension)
    return None


def safe_filename(name: str, extension: str) -> str:
    """A download name without paths or odd characters, ending in the detected type's extension."""
    base = os.path.basename(name.replace("\\", "/"))
    base = base.rsplit(".", 1)[0] if "." in base else base
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[^\w\- ]+", "", base, flags=re.UNICODE).strip().replace(" ", "-")
    base = re.sub(r"-{2,}", "-", base)[:80].strip("-") or "materiale"
    return f"{base}.{extension}"


class NotStored(Invalid):
    """The server could not write the file (disk full, I/O error): nothing was kept; try later."""

    status = 507  # Insufficient Storage: the request was fine, the server had no room for it


def _write(out: IO[bytes], chunk: bytes) -> None:
    """Append one chunk to the file being received (where a full disk shows first)."""
    out.write(chunk)


def _sync(out: IO[bytes]) -> None:
    """Put the whole file on disk before it is used (a full disk may show only here)."""
    out.flush()
    os.fsync(out.fileno())


def _not_stored(error: OSError) -> NotStored:
    log.error("upload not stored: %s", errno.errorcode.get(error.errno or 0, type(error).__name__))
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        message = _l(
            "Der er ikke plads til filen på serveren lige nu, så intet er gemt. "
            "Prøv igen senere, eller kontakt den tekniske drift."
        )
    else:
        message = _l(
            "Filen kunne ikke gemmes på serveren, så intet er gemt. "
            "Prøv igen senere, eller kontakt den tekniske drift."
        )
    return NotStored({"file": str(message)})


def store_upload(
    stream: IO[bytes], claimed_name: str, upload_dir: str | Path, max_bytes: int
) -> tuple[str, Detected, int]:
    """Write the upload under a random name; refuse (leaving nothing behind) if too big or of a
    type not allowed, or when the disk is full (NotStored). Returns (stored name, detected type,
    size). The file is synced to disk before it gets its final name."""
    directory = Path(upload_dir)
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".incoming-{secrets.token_hex(16)}"
    size, limit = 0, f"{max_bytes / 1_000_000:g}"
    try:
        with partial.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise Invalid(
                        {
                            "file": str(
                                _l("Filen er for stor. Den må højst fylde %(mb)s MB.", mb=limit)
                            )
                        }
                    )
                _write(out, chunk)
            _sync(out)
        if size == 0:
            raise Invalid({"file": str(_l("Filen er tom."))})
        detected = detect(partial, claimed_name)
        if detected is None:
            raise Invalid(
                {
                    "file": str(
                        _l(
                            "Filtypen er ikke tilladt. Upload en PDF, et billede (PNG, JPEG, GIF, "
                            "WebP) eller et kontordokument (Word, Excel, PowerPoint, OpenDocument)."
                        )
                    )
                }
            )
        stored = f"{secrets.token_hex(16)}.{detected.extension}"
        partial.rename(directory / stored)
        return stored, detected, size
    except OSError as error:
        raise _not_stored(error) from error
    finally:
        partial.unlink(missing_ok=True)


def remove_upload(upload_dir: str | Path, stored_name: str | None) -> None:
    """Delete a stored file (if it is still there); names never leave the upload directory."""
    if stored_name and "/" not in stored_name and "\\" not in stored_name:
        (Path(upload_dir) / stored_name).unlink(missing_ok=True)


def stored_path(upload_dir: str | Path, stored_name: str) -> Path | None:
    """Where a stored file is on disk, or None when it is missing."""
    if "/" in stored_name or "\\" in stored_name or stored_name.startswith("."):
        return None
    path = Path(upload_dir) / stored_name
    return path if path.is_file() else None


def write_bytes(upload_dir: str | Path, stored_name: str, data: bytes) -> None:
    """Write generated content (the demo's files) under a given name, unless it is there."""
    directory = Path(upload_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / stored_name
    if not path.exists():
        path.write_bytes(data)
