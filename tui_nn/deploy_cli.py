"""``tui-nn predict``, ``tui-nn export`` and ``tui-nn serve``: using a trained model, or the app, outside the terminal.

None of them imports Textual: ``serve`` starts the app in subprocesses through textual-serve.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui_nn.cli import EXIT_USAGE, _err
from tui_nn.safe_text import printable

EXPORT_FORMATS = ("onnx", "numpy")


def add_deploy_commands(sub: argparse._SubParsersAction) -> None:
    """Add the ``predict``, ``export`` and ``serve`` subcommands to the ``tui-nn`` parser."""
    from tui_nn.flags import add_config_flags
    from tui_nn.serve import DEFAULT_HOST, DEFAULT_PORT

    predict = sub.add_parser(
        "predict", help="run a saved model on a CSV/NPZ/HDF5 file or a built-in data set's split",
        description="Write the model's class probabilities and predicted classes as CSV (stdout unless --out), "
        "applying the standardisation and input features the model file records; print the accuracy when the "
        "data has labels.")
    predict.add_argument("model", metavar="MODEL", help="a model file (.npz) saved by tui-nn")
    predict.add_argument("data", metavar="DATA", help="a CSV, NPZ or HDF5 file, or a built-in data set name")
    predict.add_argument("--out", "-o", metavar="FILE", help="write the CSV here (default: stdout)")
    predict.add_argument("--force", "-f", action="store_true", help="replace --out if it exists")
    predict.add_argument("--split", choices=("train", "dev", "test"), help="split of a built-in data set (default dev)")
    predict.add_argument("--label", metavar="COLUMN", help="the CSV's label column (default: the one the model records)")
    predict.add_argument("--layout", choices=("columns", "rows"), help="NPZ array layout (default: from the array names)")

    export = sub.add_parser(
        "export", help="export a saved model as ONNX or as a standalone NumPy script",
        description="onnx: an ONNX graph (needs the onnx extra). numpy: a readable .py file and its weights "
        "(.npz) that need only NumPy. Both include the model's standardisation and input features.")
    export.add_argument("model", metavar="MODEL", help="a model file (.npz) saved by tui-nn")
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS, help="onnx or numpy")
    export.add_argument("--out", "-o", metavar="FILE", help="where to write (default: MODEL with .onnx or .py)")
    export.add_argument("--force", "-f", action="store_true", help="replace files that exist")

    serve = sub.add_parser(
        "serve", help="the app in a web browser (needs the web extra)",
        description="Serve the app over HTTP with textual-serve: each browser tab gets its own app. Bound to "
        f"{DEFAULT_HOST} unless --host says otherwise; anyone who can reach the port can drive the app.")
    add_config_flags(serve)
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"interface to listen on (default {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    serve.add_argument("--public-url", metavar="URL", help="the address browsers use, when not http://HOST:PORT")


def predict_command(args: argparse.Namespace) -> int:
    from tui_nn.core import ModelFileError, load_model
    from tui_nn.datasets import DatasetError
    from tui_nn.pipeline import pipeline_from_model
    from tui_nn.predict import OutputExists, predict, write_output
    from tui_nn.predict_data import read_predict_data

    try:
        if args.out and Path(args.out).exists() and not args.force:
            raise OutputExists(f"{printable(args.out)} exists; use --force to replace it")
        pipe = pipeline_from_model(load_model(args.model), printable(args.model))
        data = read_predict_data(args.data, pipe, split=args.split, label=args.label, layout=args.layout)
        result = predict(pipe, data)
        text = result.to_csv()
        if args.out:
            write_output(args.out, text, args.force)
            print(f"{result.summary()}; wrote {printable(args.out)}")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
            print(result.summary(), file=sys.stderr)
    except (ModelFileError, DatasetError, OutputExists) as e:
        _err("predict", printable(e, 2000))
        return EXIT_USAGE
    except OSError as e:
        _err("predict", f"cannot write {printable(args.out)}: {printable(e.strerror or e)}")
        return 1
    return 0


def export_command(args: argparse.Namespace) -> int:
    from tui_nn.core import ModelFileError, load_model
    from tui_nn.export import ExportError, default_export_path, export_model
    from tui_nn.pipeline import pipeline_from_model

    try:
        pipe = pipeline_from_model(load_model(args.model), printable(args.model))
        out = Path(args.out) if args.out else default_export_path(Path(args.model), args.format)
        written = export_model(pipe, args.format, out, overwrite=args.force)
    except (ModelFileError, ExportError) as e:
        _err("export", printable(e, 2000))
        return EXIT_USAGE
    for path in written:
        print(f"wrote {printable(path)}")
    return 0


def serve_command(args: argparse.Namespace) -> int:
    from tui_nn.config import ConfigError
    from tui_nn.flags import config_from_args
    from tui_nn.serve import ServeError, serve

    try:
        config_from_args(args)  # bad flags are reported here, not in every browser tab
        return serve(args)
    except (ConfigError, ServeError) as e:
        _err("serve", printable(e, 2000))
        return EXIT_USAGE


DEPLOY_COMMANDS = {"predict": predict_command, "export": export_command, "serve": serve_command}
