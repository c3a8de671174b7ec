"""Smoke test of the README's run command, as a newcomer runs it.

Clones the repository into a fresh directory, runs `make run` there on a free loopback port,
waits for /healthz, fetches the home page, the assemblies list, every demo assembly page and the
log-in page (all must answer 200), then stops the whole process group. Stdlib only.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 15 * 60  # a fresh clone creates its virtual environment first
MIN_ASSEMBLIES = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_for_health(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"`make run` exited with {proc.returncode} before serving:\n{log.read_text()[-4000:]}")
        try:
            status, body = fetch(base + "/healthz")
            if status == 200:
                print(f"healthz: {body.strip()[:200]}")
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    sys.exit(f"/healthz did not answer within {START_TIMEOUT_S} s:\n{log.read_text()[-4000:]}")


def assembly_paths(base: str) -> list[str]:
    """Every assembly page linked from the public list, following its pagination."""
    found: list[str] = []
    for page in range(1, 50):
        status, html = fetch(f"{base}/assemblies?page={page}")
        if status != 200:
            sys.exit(f"/assemblies?page={page} answered {status}")
        links = re.findall(r'href="(/assemblies/[a-z0-9-]+)"', html)
        new = [link for link in dict.fromkeys(links) if link not in found]
        if not new:
            break
        found.extend(new)
    return found


def smoke(clone: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = clone / "make-run.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_health(base, proc, log)
        failures = []
        paths = ["/", "/assemblies", "/login"]
        assemblies = assembly_paths(base)
        if len(assemblies) < MIN_ASSEMBLIES:
            failures.append(f"expected at least {MIN_ASSEMBLIES} demo assemblies, found {assemblies}")
        for path in paths + assemblies:
            status, _ = fetch(base + path)
            print(f"{status} {path}")
            if status != 200:
                failures.append(f"{path} answered {status}")
        if failures:
            sys.exit("Smoke test of `make run` failed:\n" + "\n".join(failures))
    finally:
        try:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    print("make run: smoke test passed")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="samling-smoke-") as tmp:
        clone = Path(tmp) / "samling"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        smoke(clone)


if __name__ == "__main__":
    main()
