"""Requests per second of the public pages at realistic scale, against a bare route (the ceiling).

Builds (or reuses) the data set of bench/data.py, serves it with `gunicorn -w 2` on SQLite and on
PostgreSQL (its own database `samling_bench`, created here and dropped afterwards unless --keep),
and loads each page with `wrk` at 32 connections on loopback. The ceiling, a route returning a
fixed string from the same app (PORTAL_BENCH_CEILING=1), is measured between the pages in the
same run: each page run follows a ceiling run, and its ratio is to that neighbour (the median of
--rounds pairs; the machine is shared, so distant runs compare badly). Pages that answer 404 (not
built yet) are skipped. Prints figures and ratios; it asserts nothing (the goal: every page at
least 40 % of the ceiling's requests per second and p99 at most 100 ms).

Run: python bench/http.py [--scale 0.01] [--db sqlite postgres] [--duration 10] [--no-cache]
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# This file's name shadows the standard library's `http` (urllib needs it): take bench/ off the
# path and import from the project's root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from dataclasses import dataclass  # noqa: E402

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from bench import data  # noqa: E402
from portal.db import make_engine  # noqa: E402
from portal.models import Assembly  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_DATABASE = "samling_bench"
CEILING = "/bench/ceiling"


def pages() -> list[tuple[str, str]]:
    """(name, path) of the pages measured; add new public pages here."""
    slug = data.assembly_slug(1)  # running now: draft recommendations, comments, input
    hot_slug, hot_number = data.hot_recommendation()
    return [
        ("home", "/"),
        ("assemblies p50", "/assemblies?page=50"),
        ("assembly", f"/assemblies/{slug}"),
        ("recommendation", f"/assemblies/{hot_slug}/recommendations/{hot_number}"),
        ("input", f"/assemblies/{slug}/input"),
        ("tracker", "/recommendations"),
        ("selection", f"/assemblies/{slug}/selection"),
        ("materials", f"/assemblies/{slug}/materials"),
    ]


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def ensure_wrk() -> str:
    """wrk from Debian; installed here when running as root, else say how."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        print("wrk is missing: apt-get install -y wrk", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, env=env)
        found = shutil.which("wrk")
        if found:
            return found
        subprocess.run(["apt-get", "update", "-q"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, env=env)
        found = shutil.which("wrk")
    if not found:
        sys.exit("wrk is needed: run `sudo apt-get install -y wrk` (Debian/Ubuntu) and try again.")
    return found


def _millis(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(wrk: str, url: str, seconds: int, connections: int) -> Result:
    out = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _millis(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _millis(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Result(rps, p50, p99, errors)


# --- the data sets ----------------------------------------------------------------------------


def _built(url: str, scale: data.Scale) -> bool:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(Assembly)) == scale.assemblies
    except Exception:  # noqa: BLE001 - no schema yet
        return False
    finally:
        engine.dispose()


def _build(url: str, scale: data.Scale, seed: int) -> None:
    started = time.perf_counter()
    print(f"building the data set in {url} …", flush=True)
    engine = make_engine(url)
    data.build(engine, scale, seed, quiet=False)
    engine.dispose()
    print(f"built in {time.perf_counter() - started:.0f} s", flush=True)


def sqlite_dataset(scale: data.Scale, factor: float, seed: int, rebuild: bool) -> str:
    path = ROOT / "instance" / f"bench-{factor:g}-{seed}.db"
    url = f"sqlite:///{path}"
    if rebuild or not _built(url, scale):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(exist_ok=True)
        _build(url, scale, seed)
    return url


def postgres_dataset(scale: data.Scale, seed: int, rebuild: bool) -> str | None:
    """The benchmark's own database (never the shared `test` database)."""
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_DATABASE}
            )
            url = f"{PG_SERVER}/{PG_DATABASE}"
            if exists and (rebuild or not _built(url, scale)):
                conn.execute(text(f'DROP DATABASE "{PG_DATABASE}" WITH (FORCE)'))
                exists = None
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{PG_DATABASE}"'))
                _build(url, scale, seed)
            return url
    except Exception as error:  # noqa: BLE001 - the server may be down
        print(f"PostgreSQL at {PG_SERVER} is not reachable ({error}); skipped", flush=True)
        return None
    finally:
        admin.dispose()


def drop_postgres() -> None:
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
    admin.dispose()


# --- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(url: str, port: int, cache: bool, workdir: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": url,
        "PORTAL_BENCH_CEILING": "1",
        "PORTAL_PAGE_CACHE": "1" if cache else "0",
        "PORTAL_PAGE_CACHE_VERSION_FILE": f"{workdir}/content.version",
        "PORTAL_QUEUE_URL": f"sqlite:///{workdir}/queue.db",
        "PORTAL_LOG_LEVEL": "WARNING",
    }
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT), "wsgi:app"],
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{CEILING}", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not start")


def status_of(base: str, path: str) -> int:
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def drain(base: str) -> None:
    """Wait until the requests wrk left queued are served (slow pages leave a backlog that would
    otherwise count against the next run)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        started = time.monotonic()
        if status_of(base, CEILING) == 200 and time.monotonic() - started < 0.05:
            return
        time.sleep(0.2)


def bench_database(label: str, url: str, args: argparse.Namespace, wrk: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="samling-bench-") as workdir:
        server = serve(url, port, not args.no_cache, workdir)
        try:
            targets = []
            for name, path in pages():
                code = status_of(base, path)
                if code == 404:
                    print(f"  {name}: {path} answers 404 (not built yet); skipped", flush=True)
                elif code != 200:
                    print(f"  {name}: {path} answers {code}; skipped", flush=True)
                else:
                    targets.append((name, path))
            for _name, path in targets:  # warm both workers (and their caches)
                for _ in range(4):
                    status_of(base, path)
            # Each page run is paired with a ceiling run just before it: the machine is shared,
            # so a ratio of neighbours is steadier than one of distant runs.
            ceilings: list[Result] = []
            results: dict[str, list[tuple[Result, Result]]] = {}
            for _round in range(args.rounds):
                for name, path in targets:
                    ceiling = run_wrk(wrk, base + CEILING, args.duration, args.connections)
                    drain(base)
                    result = run_wrk(wrk, base + path, args.duration, args.connections)
                    drain(base)
                    ceilings.append(ceiling)
                    results.setdefault(name, []).append((result, ceiling))
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(label, targets, ceilings, results)


def report(
    label: str,
    targets: list[tuple[str, str]],
    ceilings: list[Result],
    results: dict[str, list[tuple[Result, Result]]],
) -> None:
    ceiling = statistics.median(r.rps for r in ceilings)
    print(
        f"\n{label}: ceiling {ceiling:.0f} req/s (median of {len(ceilings)} runs, "
        f"{min(r.rps for r in ceilings):.0f}–{max(r.rps for r in ceilings):.0f}), "
        f"p50 {statistics.median(r.p50_ms for r in ceilings):.1f} ms, "
        f"p99 {statistics.median(r.p99_ms for r in ceilings):.1f} ms"
    )
    print(
        f"{'page':<16}{'path':<52}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'ratio':>7}{'err':>5}  goal"
    )
    for name, path in targets:
        pairs = results[name]
        rps = statistics.median(r.rps for r, _ in pairs)
        p50 = statistics.median(r.p50_ms for r, _ in pairs)
        p99 = statistics.median(r.p99_ms for r, _ in pairs)
        errors = sum(r.errors for r, _ in pairs)
        # Each against its neighbour (a ceiling run that served nothing says nothing).
        ratio = statistics.median([r.rps / c.rps for r, c in pairs if c.rps > 0] or [0.0])
        ok = "met" if ratio >= 0.40 and p99 <= 100 and not errors else "missed"
        print(
            f"{name:<16}{path[:51]:<52}{rps:>8.0f}{p50:>8.1f}{p99:>8.1f}{ratio:>6.0%}"
            f"{errors:>5}  {ok}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = full size, 0.01 = small")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument(
        "--db", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs per page (median)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--no-cache", action="store_true", help="measure with the page cache off")
    parser.add_argument("--rebuild", action="store_true", help="build the data set again")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args(argv)
    wrk = ensure_wrk()
    scale = data.Scale.of(args.scale)
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {os.cpu_count()} cores · "
        f"scale {args.scale:g} ({scale.assemblies} assemblies, {scale.comments} comments) · "
        f"page cache {'off' if args.no_cache else 'on'} · wrk -c{args.connections} "
        f"{args.duration}s",
        flush=True,
    )
    if "sqlite" in args.db:
        url = sqlite_dataset(scale, args.scale, args.seed, args.rebuild)
        bench_database("SQLite", url, args, wrk)
    if "postgres" in args.db:
        pg_url = postgres_dataset(scale, args.seed, args.rebuild)
        if pg_url:
            try:
                bench_database("PostgreSQL", pg_url, args, wrk)
            finally:
                if not args.keep:
                    drop_postgres()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
