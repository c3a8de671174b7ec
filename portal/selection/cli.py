"""Command line: check, probabilities, lottery, draw, replace. Exit 1 = bad input, 2 = infeasible."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from .errors import InfeasibleError, SelectionInputError
from .feasibility import check_feasibility, require_feasible
from .io import load_instance
from .leximin import Distribution, find_leximin
from .lottery import build_lottery, draw
from .model import Instance
from .replace import replace_dropouts
from .report import build_report, format_report

EXIT_BAD_INPUT = 1
EXIT_INFEASIBLE = 2


def _ids(raw: str) -> list[str]:
    return [x.strip() for x in raw.split(",") if x.strip()]


def _add_inputs(p: argparse.ArgumentParser, *, panel_size: bool = True) -> None:
    p.add_argument("--quotas", required=True, help="quota CSV (any of the three headers)")
    p.add_argument("--respondents", required=True, help="respondents CSV")
    if panel_size:
        p.add_argument("--panel-size", type=int, required=True)
    p.add_argument("--address-columns", default="", help="comma-separated; one per household")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m portal.selection", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    _add_inputs(sub.add_parser("check", help="is any panel possible? if not, what to relax"))
    p = sub.add_parser("probabilities", help="LEXIMIN selection probabilities and panels")
    _add_inputs(p)
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p = sub.add_parser("lottery", help="uniform lottery over M panels, with fingerprint")
    _add_inputs(p)
    p.add_argument("--panels", type=int, default=1000, help="M, the number of lottery panels")
    p.add_argument("--out", required=True, help="lottery JSON file to write")
    p = sub.add_parser("draw", help="the panel a seed picks from a lottery file")
    p.add_argument("--lottery", required=True)
    p.add_argument("--seed", required=True)
    p = sub.add_parser("replace", help="replacements for members who dropped out")
    _add_inputs(p, panel_size=False)
    p.add_argument("--panel", required=True, help="draw output JSON file, or comma-separated ids")
    p.add_argument("--dropouts", required=True, help="comma-separated ids")
    p.add_argument("--declined", default="", help="comma-separated ids not to ask again")
    p.add_argument("--seed", required=True, help="public seed for the fair pick")
    return parser


def _progress(args: argparse.Namespace) -> Any:
    if getattr(args, "quiet", False):
        return None
    return lambda msg: print(msg, file=sys.stderr, flush=True)


def _instance(args: argparse.Namespace, k: int) -> Instance:
    return load_instance(
        args.quotas, args.respondents, k, address_columns=_ids(args.address_columns)
    )


def _leximin(args: argparse.Namespace, inst: Instance) -> Distribution:
    require_feasible(inst)
    return find_leximin(inst, progress=_progress(args))


def _read_json(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SelectionInputError(f"cannot open file: {exc.strerror}", file=path) from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise SelectionInputError(f"not valid JSON: {exc}", file=path) from None


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        result = check_feasibility(_instance(args, args.panel_size))
        print(result.explanation())
        return 0 if result.feasible else EXIT_INFEASIBLE
    if args.command == "probabilities":
        inst = _instance(args, args.panel_size)
        dist = _leximin(args, inst)
        if args.json:
            ids = [p.id for p in inst.people]
            out = {
                "min_probability": dist.min_probability,
                "marginals": {pid: float(x) for pid, x in zip(ids, dist.marginals, strict=True)},
                "panels": [
                    {"members": sorted(ids[i] for i in members), "probability": prob}
                    for members, prob in dist.panels
                ],
                "seconds": dist.seconds,
                "report": build_report(inst, dist),
            }
            print(json.dumps(out, ensure_ascii=False))
        else:
            print(format_report(build_report(inst, dist)))
        return 0
    if args.command == "lottery":
        inst = _instance(args, args.panel_size)
        start = time.perf_counter()
        lottery = build_lottery(_leximin(args, inst), args.panels)
        data = lottery.to_json()
        data["seconds"] = time.perf_counter() - start
        Path(args.out).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        summary = {k: v for k, v in data.items() if k != "panels"}
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    if args.command == "draw":
        print(json.dumps(draw(_read_json(args.lottery), args.seed, args.lottery)))
        return 0
    if args.command == "replace":
        raw = args.panel
        if Path(raw).is_file():
            data = _read_json(raw)
            members = data.get("members") if isinstance(data, dict) else None
            if not isinstance(members, list):
                raise SelectionInputError("expected draw output with 'members'", file=raw)
            panel = [str(m) for m in members]
        else:
            panel = _ids(raw)
        inst = _instance(args, len(panel))
        replaced = replace_dropouts(
            inst, panel, _ids(args.dropouts), declined=_ids(args.declined), seed=args.seed
        )
        out = replaced.to_json()
        out["report"] = build_report(inst, panel=replaced.panel)
        print(json.dumps(out, ensure_ascii=False))
        return 0
    raise AssertionError(args.command)


def main(argv: list[str] | None = None) -> int:
    """Run one command; bad input and infeasible quotas are messages, never tracebacks."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except SelectionInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InfeasibleError as exc:
        print(exc.explanation, file=sys.stderr)
        return EXIT_INFEASIBLE
