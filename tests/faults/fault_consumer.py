"""`flask run-consumer` with one fault injected, for tests that then kill it with SIGKILL.

SAMLING_FAULT says where the single worker stops and hangs (after writing its pid to the file
SAMLING_FAULT_MARKER, so the test knows the moment has come):
    draw               — in the middle of computing a draw's lottery (after its first progress)
    mail-before-send:K — at the K-th e-mail, claimed but not yet handed to the SMTP server
    mail-after-send:K  — at the K-th e-mail, accepted by the SMTP server but not yet marked sent
Run as `python -m tests.faults.fault_consumer` from the repository's root.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _hang(marker: str) -> None:
    Path(marker).write_text(str(os.getpid()))
    while True:
        time.sleep(60)


def _inject(fault: str, marker: str) -> None:
    if fault == "draw":
        from portal.recruitment import draws

        real_compute = draws.compute

        def compute(inputs: Any, params: Any, report: Callable[[str], None]) -> Any:
            def report_then_hang(message: str) -> None:
                report(message)
                _hang(marker)

            return real_compute(inputs, params, report_then_hang)

        draws.compute = compute
        return
    from portal import mail

    when, _, number = fault.removeprefix("mail-").partition(":")
    real_send, calls, lock = mail.send, [0], threading.Lock()

    def send(*args: Any) -> None:
        with lock:
            calls[0] += 1
            mine = calls[0]
        if mine == int(number) and when == "before-send":
            _hang(marker)
        real_send(*args)
        if mine == int(number) and when == "after-send":
            _hang(marker)

    mail.send = send


def main() -> None:
    _inject(os.environ["SAMLING_FAULT"], os.environ["SAMLING_FAULT_MARKER"])
    from flask.cli import main as flask_main

    sys.argv = ["flask", "--app", "wsgi", "run-consumer", "--workers", "1"]
    flask_main()


if __name__ == "__main__":
    main()
