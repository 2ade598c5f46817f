"""``tui-nn sweep``: plan from a sweep file and/or flags, run locally or on Ray, print the ranked table."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

__all__ = ["add_sweep_parser", "sweep_command"]

EXIT_USAGE = 2


def add_sweep_parser(sub: Any) -> None:
    """The ``sweep`` subcommand and its flags (the run-config flags set the base config)."""
    from tui_nn.flags import add_config_flags
    from tui_nn.runs.sweep_results import SORT_KEYS

    p = sub.add_parser(
        "sweep", help="train many configurations (a grid, ranges, random samples, repeats) and rank them",
        description="Run a sweep: a base config plus axes, from a sweep FILE (TOML/JSON with a [vary] table) "
        "and/or --vary flags. Each trial is an ordinary run folder inside one sweep folder.")
    p.add_argument("file", nargs="?", metavar="FILE", help="a sweep file: run-config keys, [vary] axes, optional [sweep] name/repeats")
    p.add_argument("--vary", action="append", default=[], metavar="KEY=VALUES",
                   help="an axis: KEY=V1,V2,... (hidden=4,20x7x5 varies the whole list; hidden.2=3,5 one layer) or "
                   "KEY=linear|log:LO:HI:COUNT or KEY=random|random-log:LO:HI:COUNT[:SEED]; repeatable")
    p.add_argument("--repeats", type=int, metavar="N", help="repeat every combination over N seeds (seed, seed+1, ...)")
    p.add_argument("--name", metavar="NAME", help="the sweep's name (in its folder name)")
    p.add_argument("--workers", type=int, metavar="N", help="trials at once (default: one per core)")
    p.add_argument("--ray", nargs="?", const="local", metavar="ADDRESS",
                   help="run the trials with Ray Tune: a local Ray instance, or the cluster at ADDRESS (needs tui-nn[ray])")
    p.add_argument("--early-stop", action="store_true", help="with --ray: stop trials whose dev cost is clearly behind (ASHA)")
    p.add_argument("--sort", choices=SORT_KEYS, default="dev", help="rank by dev accuracy (default), final cost or time")
    p.add_argument("--resume", metavar="SWEEP", help="run the unfinished trials of the sweep folder SWEEP")
    p.add_argument("--dry-run", action="store_true", help="print the trials and exit without training")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress output (the table is still printed)")
    add_config_flags(p)


def _err(message: str) -> None:
    from tui_nn.safe_text import printable

    try:
        print(f"tui-nn sweep: {printable(message, 2000)}", file=sys.stderr)
    except OSError:
        pass


def _plan_from_args(args: argparse.Namespace):
    from tui_nn.config import ConfigError, RunConfig, load_config
    from tui_nn.flags import flag_values, merge
    from tui_nn.runs.sweep_axes import axis_from_flag
    from tui_nn.runs.sweep_plan import build_plan, load_sweep_file

    settings: dict[str, Any] = {}
    if args.file and getattr(args, "config", None):
        raise ConfigError("--config: a sweep FILE is its own base config; give one or the other")
    if args.file:
        base, axes, settings = load_sweep_file(args.file)
    else:
        base, axes = (load_config(args.config) if getattr(args, "config", None) else RunConfig()), []
    values = flag_values(args)
    if values:
        base = merge(base, values)
    flag_axes = [axis_from_flag(text) for text in args.vary]
    keys = {a.key for a in flag_axes}
    axes = [a for a in axes if a.key not in keys] + flag_axes  # --vary replaces the file's axis of that key
    repeats = args.repeats if args.repeats is not None else settings.get("repeats")
    name = args.name or settings.get("name") or (Path(args.file).stem if args.file else "sweep")
    return build_plan(base, axes, str(name), args.file or "command line", repeats)


def _backend(args: argparse.Namespace):
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"workers: must be >= 1, got {args.workers}")
    if args.ray is None:
        if args.early_stop:
            raise ValueError("--early-stop needs --ray (Ray Tune's ASHA scheduler stops trials that fall behind)")
        from tui_nn.runs.sweep_local import LocalBackend

        return LocalBackend(args.workers)
    from tui_nn.runs.sweep_ray import RayBackend

    return RayBackend(None if args.ray == "local" else args.ray, workers=args.workers, early_stop=args.early_stop)


def sweep_command(args: argparse.Namespace) -> int:
    """Run ``tui-nn sweep``; exit status 0 (all trials ran), 1 (a trial failed), 2 (bad sweep), 128+signal."""
    from tui_nn.config import ConfigError
    from tui_nn.runs.log import RunLogError
    from tui_nn.runs.sweep_folder import create_sweep_folder, read_plan
    from tui_nn.runs.sweep_ray import RayUnavailable
    from tui_nn.runs.sweep_runner import resume_jobs

    try:
        backend = _backend(args)
        if hasattr(backend, "check") and not args.dry_run:
            backend.check()  # Ray installed and reachable before any folder is made
        if args.resume:
            if args.file or args.vary or getattr(args, "config", None):
                raise ConfigError("--resume runs the sweep's own plan: give no FILE, --vary or --config")
            folder = Path(args.resume)
            plan = read_plan(folder)
            jobs, results = resume_jobs(folder, plan)
        else:
            plan = _plan_from_args(args)
            if args.dry_run:
                for t in plan.trials:
                    print(f"{t.name}  {t.describe()}")
                return 0
            folder, plan = create_sweep_folder(plan, plan.base.out)
            jobs, results = None, None
    except (ConfigError, ValueError, RunLogError, RayUnavailable, OSError) as e:
        _err(str(e))
        return EXIT_USAGE
    return _run(args, backend, folder, plan, jobs, results)


def _run(args: argparse.Namespace, backend: Any, folder: Path, plan: Any, jobs: Any, results: Any) -> int:
    from tui_nn.runs.sweep_progress import SweepProgress
    from tui_nn.runs.sweep_results import results_table
    from tui_nn.runs.sweep_runner import SweepRunner
    from tui_nn.safe_text import printable

    runner = SweepRunner(folder, plan, backend, jobs, results)
    todo = len(runner.jobs)
    progress = SweepProgress(sys.stderr, todo, lambda i: plan.trials[i].describe(), quiet=args.quiet, clean=printable)
    runner.on_event = progress
    caught: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)
        runner.cancel()

    old = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    progress.note(f"sweep {printable(plan.name, 60)}: {todo} of {len(plan.trials)} trials on {backend.name} into {printable(folder)}")
    try:
        finished = runner.run()
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    try:
        print(results_table(plan, finished.results, args.sort, clean=printable))
        print(f"sweep folder: {printable(folder)}  (results.csv, results.json; `tui-nn runs {printable(folder)}`)")
        if finished.cancelled:
            print(f"stopped early; continue with: tui-nn sweep --resume {printable(folder)}")
    except OSError:
        pass
    if caught:
        return 128 + caught[0]
    return 1 if any(r.status == "failed" for r in finished.results) else 0
