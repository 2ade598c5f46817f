"""The ``tui-nn`` command line: ``train``, ``sweep``, ``runs``, ``datasets``, ``watch``, ``predict``, ``export``,
``serve``, and the app.

Textual is imported only by ``watch`` and the app (lazily), so the other commands
start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tui_nn import __version__
from tui_nn.blas_threads import BlasChoice, apply_blas_choice

EXIT_USAGE = 2
"""Bad flags, config values, datasets or run folders."""


def _err(command: str, message: str) -> None:
    from tui_nn.safe_text import say

    say(f"tui-nn {command}: {message}" if command else f"tui-nn: {message}", sys.stderr)


BLAS_DEFAULT_COMMANDS = ("runs", "datasets", "predict", "export", "sweep")
"""Commands that keep the BLAS default: they do not train in this process (a sweep gives
each of its trial processes one thread itself)."""
SLOW_LINK_HELP = "for slow SSH links: 16 colours, fewer frames, updates three times less often"


def prepare_slow_link() -> None:
    """Ask Textual (before it is imported) for 16 colours and at most 10 frames a second."""
    os.environ.setdefault("TEXTUAL_COLOR_SYSTEM", "standard")
    os.environ.setdefault("TEXTUAL_FPS", "10")


def limit_blas_threads(argv: list[str]) -> BlasChoice | None:
    """One BLAS thread for the app, the watcher and ``tui-nn train`` when the machine is busy.

    See ``tui_nn.blas_threads``: the default while the 1-minute load average leaves
    a core free, one thread otherwise, and a count the user set always wins. Must
    run before NumPy is imported; returns None (and changes nothing) when it is
    already loaded or the command does not train.
    """
    if any(arg in BLAS_DEFAULT_COMMANDS for arg in argv) or "numpy" in sys.modules:
        return None
    return apply_blas_choice()


def _parser() -> argparse.ArgumentParser:
    from tui_nn.flags import add_config_flags

    parser = argparse.ArgumentParser(
        prog="tui-nn",
        description="Build, train and watch fully connected neural networks in the terminal. "
        "Without a command, opens the app on the given experiment.",
    )
    parser.add_argument("--version", action="version", version=f"tui-nn {__version__}")
    add_config_flags(parser)
    parser.add_argument("--slow-link", action="store_true", help=SLOW_LINK_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    train = sub.add_parser("train", help="train without a UI, writing a run folder",
                           description="Train headless into a new run folder (or continue one with --resume).")
    add_config_flags(train)
    train.add_argument("--resume", metavar="RUN", help="continue RUN from its last.npz, appending to its log "
                       "(only --iterations, --learning-rate and --eval-every may change)")
    train.add_argument("--progress-every", type=int, metavar="N", help="without a terminal, one progress line every N iterations")
    train.add_argument("--quiet", "-q", action="store_true", help="no progress output (the summary is still printed)")

    from tui_nn.runs.sweep_cli import add_sweep_parser

    add_sweep_parser(sub)

    runs = sub.add_parser("runs", help="list run folders with state, iterations, best dev accuracy and age")
    runs.add_argument("folder", nargs="?", default="runs", metavar="FOLDER", help="folder of runs (default runs)")

    sub.add_parser("datasets", help="list the built-in datasets")

    watch = sub.add_parser("watch", help="watch (and steer) runs that another process is writing")
    watch.add_argument("--slow-link", action="store_true", help=SLOW_LINK_HELP)
    watch.add_argument("runs", nargs="+", metavar="RUN",
                       help="run folders (several overlay their cost curves) or sweep folders (followed whole)")

    from tui_nn.deploy_cli import add_deploy_commands

    add_deploy_commands(sub)
    return parser


def _train(args: argparse.Namespace) -> int:
    from tui_nn.config import ConfigError
    from tui_nn.core import ModelFileError
    from tui_nn.datasets import DatasetError
    from tui_nn.flags import config_from_args, flag_values
    from tui_nn.runs.headless import RunLogError, TrainError, TrainOptions, train

    options = TrainOptions(every=args.progress_every, quiet=args.quiet, blas=getattr(args, "blas", None))
    try:
        if args.progress_every is not None and args.progress_every < 1:
            raise ConfigError(f"progress_every: must be >= 1, got {args.progress_every}")
        if args.resume:
            if getattr(args, "config", None):
                raise ConfigError("config: --config cannot be used with --resume (the run has its own config.toml)")
            outcome = train(None, options, resume=Path(args.resume), resume_overrides=flag_values(args))
        else:
            outcome = train(config_from_args(args), options)
    except (ConfigError, DatasetError, TrainError, ModelFileError) as e:
        _err("train", str(e))
        return EXIT_USAGE
    except RunLogError as e:
        _err("train", str(e))
        return 1
    return outcome.exit_status


def _sweep(args: argparse.Namespace) -> int:
    from tui_nn.runs.sweep_cli import sweep_command

    return sweep_command(args)


def _runs(args: argparse.Namespace) -> int:
    from tui_nn.runs.listing import runs_command

    return runs_command(args.folder)


def _datasets(args: argparse.Namespace) -> int:
    from tui_nn.runs.listing import datasets_table
    from tui_nn.safe_text import say

    say(datasets_table())
    return 0


def _watch(args: argparse.Namespace) -> int:
    from tui_nn.runs.reader import is_run_dir
    from tui_nn.runs.sweep_axes import SweepError
    from tui_nn.runs.sweep_folder import is_sweep_dir, read_plan

    paths = [Path(p) for p in args.runs]
    for path in paths:
        if not path.exists():
            _err("watch", f"{path}: no such run folder")
            return EXIT_USAGE
        if is_sweep_dir(path):
            try:
                read_plan(path)
            except SweepError as e:
                _err("watch", str(e))  # (say escapes it)
                return EXIT_USAGE
        elif not is_run_dir(path):
            _err("watch", f"{path}: not a run or sweep folder (no metrics.jsonl or plan.json; "
                 "runs are made by `tui-nn train`, sweeps by `tui-nn sweep`)")
            return EXIT_USAGE
    if args.slow_link:
        prepare_slow_link()
    from tui_nn.watch_app import run_watch

    return int(run_watch(paths, args.slow_link) or 0)


def _app(args: argparse.Namespace) -> int:
    from tui_nn.config import ConfigError
    from tui_nn.flags import config_from_args

    try:
        config = config_from_args(args)
    except ConfigError as e:
        _err("", str(e))
        return EXIT_USAGE
    if args.slow_link:
        prepare_slow_link()
    from tui_nn.app import run_app

    return int(run_app(config, args.slow_link) or 0)


def warnings_as_messages() -> None:
    """Show any warning that is left (NumPy's numerical ones are silenced where non-finite values
    are handled) as one printable line on stderr, never as a source dump."""
    import warnings

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        _err("", f"warning: {message}")

    warnings.showwarning = show


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` (default ``sys.argv[1:]``) and run the command; returns the exit status."""
    blas = limit_blas_threads(sys.argv[1:] if argv is None else argv)
    warnings_as_messages()
    args = _parser().parse_args(argv)
    args.blas = blas
    from tui_nn.deploy_cli import DEPLOY_COMMANDS

    handler = {"train": _train, "sweep": _sweep, "runs": _runs, "datasets": _datasets, "watch": _watch,
               **DEPLOY_COMMANDS}.get(args.command, _app)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
