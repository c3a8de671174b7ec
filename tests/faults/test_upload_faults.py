"""An upload interrupted or the disk full: a clear message and no half records (no row without its
file, no file without its row, nothing left half-written). The portal really commits here."""

from __future__ import annotations

import errno
import io
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from werkzeug.serving import make_server

from portal.backoffice import materials, uploads
from portal.demo import DEMO_PASSWORD
from portal.demo.files import tiny_pdf
from portal.models import Material

from ..concurrency.helpers import log_in
from ..conftest import app_committing_to, new_database

GROENT = "groent-byliv-indre-oesterbro"
MATERIALS = f"/secretariat/assemblies/{GROENT}/materials"
FORM = {
    "title": "Rapport om regnvand",
    "kind": "report",
    "chosen_by": "assembly",
    "source": "Anna Skov",
    "summary": "Hvor bliver regnen af?",
    "plain_summary": "Regnvand kan samles i grøfter.",
    "published": "yes",
}
# A real PDF of about three chunks: the disk can fill up in the middle of it.
BIG_PDF = tiny_pdf("Regnvand", ["En side"]) + b"%" + b"x" * (3 * uploads.CHUNK) + b"\n"


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    engine, drop = new_database(tmp_path_factory)
    upload_dir = tmp_path_factory.mktemp("uploads")
    yield app_committing_to(engine, UPLOAD_DIR=str(upload_dir), UPLOAD_MAX_BYTES=1_000_000)
    drop()


@pytest.fixture
def secretariat(portal: Flask) -> FlaskClient:
    client = portal.test_client()
    response = client.post(
        "/login", data={"email": "secretariat@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    return client


def files_in(portal: Flask) -> list[str]:
    return sorted(p.name for p in Path(portal.config["UPLOAD_DIR"]).iterdir())


def rows_titled(portal: Flask, title: str) -> int:
    with portal.extensions["sessionmaker"]() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(Material).where(Material.title == title)
            )
            or 0
        )


def upload(client: FlaskClient, title: str) -> Any:
    form = {**FORM, "title": title, "file": (io.BytesIO(BIG_PDF), "regnvand.pdf")}
    return client.post(MATERIALS, data=form, content_type="multipart/form-data")


def disk_full(after_bytes: int) -> Any:
    written = 0

    def write(out: IO[bytes], chunk: bytes) -> None:
        nonlocal written
        if written + len(chunk) > after_bytes:
            raise OSError(errno.ENOSPC, "No space left on device")
        written += len(chunk)
        out.write(chunk)

    return write


@pytest.mark.parametrize("where", ["first chunk", "middle", "sync"])
def test_a_full_disk_gives_a_clear_message_and_leaves_nothing(
    portal: Flask, secretariat: FlaskClient, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    before = files_in(portal)
    if where == "sync":

        def sync(out: IO[bytes]) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(uploads, "_sync", sync)
    else:
        monkeypatch.setattr(uploads, "_write", disk_full(0 if where == "first chunk" else 100_000))
    title = f"Fuld disk ({where})"
    response = upload(secretariat, title)
    html = response.get_data(as_text=True)
    assert response.status_code == 507
    assert "Der er ikke plads til filen på serveren lige nu, så intet er gemt" in html
    assert f'value="{title}"' in html  # the form again, with what was typed
    assert rows_titled(portal, title) == 0 and files_in(portal) == before
    # The disk has room again: the same upload is stored, row and file together.
    monkeypatch.undo()
    assert upload(secretariat, title).status_code == 302
    assert rows_titled(portal, title) == 1 and len(files_in(portal)) == len(before) + 1


def test_another_write_error_is_told_too(
    portal: Flask, secretariat: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(out: IO[bytes], chunk: bytes) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(uploads, "_write", broken)
    before = files_in(portal)
    response = upload(secretariat, "I/O-fejl")
    assert response.status_code == 507
    assert "Filen kunne ikke gemmes på serveren" in response.get_data(as_text=True)
    assert rows_titled(portal, "I/O-fejl") == 0 and files_in(portal) == before


def test_a_database_failure_after_the_file_was_written_removes_the_file(
    portal: Flask, secretariat: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("INSERT", {}, Exception("database is gone"))

    monkeypatch.setattr(materials.audit, "record", gone)
    before = files_in(portal)
    response = upload(secretariat, "Databasen væk")
    assert response.status_code == 503 and "Retry-After" in response.headers
    assert rows_titled(portal, "Databasen væk") == 0 and files_in(portal) == before


@pytest.fixture(scope="module")
def served(portal: Flask) -> Iterator[int]:
    server = make_server("127.0.0.1", 0, portal, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join(10)


def multipart(title: str) -> tuple[bytes, str]:
    boundary = "grænse-7d9f3a"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in {**FORM, "title": title}.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        'filename="regnvand.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    body = b"".join(parts) + head + BIG_PDF + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("cut_at", [0.3, 0.9])
def test_an_interrupted_upload_is_refused_and_stores_nothing(
    portal: Flask, served: int, cut_at: float
) -> None:
    """The sender stops half-way (a dropped connection): 400, no row, no file, no leftovers."""
    cookie = log_in(served, "secretariat@example.org", DEMO_PASSWORD)
    title = f"Afbrudt ved {cut_at}"
    body, content_type = multipart(title)
    before = files_in(portal)
    with socket.create_connection(("127.0.0.1", served), timeout=30) as sock:
        head = (
            f"POST {MATERIALS} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        )
        sock.sendall(head.encode() + body[: int(len(body) * cut_at)])
        sock.shutdown(socket.SHUT_WR)  # the rest never comes
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0]
    assert status_line.split()[1] == b"400", answer[:500]
    assert rows_titled(portal, title) == 0 and files_in(portal) == before
