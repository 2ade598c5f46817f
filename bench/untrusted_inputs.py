"""Figures for untrusted input: the fuzz corpus per area, bombs, and what loaders really allocate.

    python bench/untrusted_inputs.py [--random N] [--skip-corpus] [--skip-bombs] [--skip-copies]

1. The corpus of ``tests/untrusted/corpus.py`` (crafted plus N seeded random cases
   per area) through every reader and the command line (``tests/untrusted/driver.py``):
   cases, valid data, clean errors, anything else, raw control characters.
2. Bombs, each in a fresh process: file size, what it declares, the outcome, seconds,
   and peak memory beyond the imports, with the default budget (three quarters of
   ``MemAvailable``) and with ``TUI_NN_MEMORY_LIMIT=1G``.
3. Loader copies: peak memory of loading ordinary NPZ, HDF5 and CSV files, in
   float64 copies of their values, against ``datasets.budget.FLOAT_COPIES``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "untrusted"))

MEASURE = """
import json, os, resource, sys, time
import numpy as np, h5py
from tui_nn.core import load_model, ModelFileError
from tui_nn.config import load_config, ConfigError
from tui_nn.datasets import load_path, DatasetError
from tui_nn.experiment import build_experiment
kind, path = sys.argv[1], sys.argv[2]
before = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])
start = time.monotonic()
try:
    if kind == "model":
        load_model(path)
    elif kind == "config":
        build_experiment(load_config(path))
    else:
        load_path(path)
    outcome = "loaded"
except (ModelFileError, DatasetError, ConfigError) as e:
    outcome = "refused: " + str(e).split(": ", 1)[1][:150]
seconds = time.monotonic() - start
peak = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) - before
print(json.dumps({"outcome": outcome, "seconds": seconds, "peak": peak * 1024}))
"""


def size(n: float) -> str:
    for unit, scale in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{int(n)} B"


def measure(kind: str, path: Path, limit: str | None) -> dict:
    env = dict(os.environ)
    env.pop("TUI_NN_MEMORY_LIMIT", None)
    if limit:
        env["TUI_NN_MEMORY_LIMIT"] = limit
    out = subprocess.run([sys.executable, "-c", MEASURE, kind, str(path)], capture_output=True, text=True, env=env, timeout=1800)
    if out.returncode != 0:
        return {"outcome": f"crashed ({out.returncode}): {out.stderr.strip().splitlines()[-1][:150]}", "seconds": 0, "peak": 0}
    return json.loads(out.stdout)


def corpus(random_per_area: int) -> None:
    print(f"== corpus: crafted cases + {random_per_area} seeded random per area, readers and CLI, "
          "in one process capped at 2 GiB with a 256 MiB budget")
    out = subprocess.run([sys.executable, str(ROOT / "tests" / "untrusted" / "driver.py"), "--random", str(random_per_area)],
                         capture_output=True, text=True, timeout=3600)
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    cases, peak = rows[:-1], rows[-1]["peak_rss_bytes"]
    table: dict[str, Counter] = defaultdict(Counter)
    for c in cases:
        t = table[c["area"]]
        t["cases"] += 1
        t["crafted" if not c["case"].startswith("random") else "random"] += 1
        t[c["outcome"].split(":")[0]] += 1
        t["raw"] += bool(c["raw"])
    print(f"{'area':<9} {'cases':>6} {'crafted':>8} {'random':>7} {'valid':>6} {'clean errors':>13} {'other':>6} {'raw':>4}")
    for area in ("csv", "npz", "hdf5", "model", "config", "run-log", "control"):
        t = table[area]
        print(f"{area:<9} {t['cases']:>6} {t['crafted']:>8} {t['random']:>7} {t['valid']:>6} {t['error']:>13} {t['unclean']:>6} {t['raw']:>4}")
    total = Counter()
    for t in table.values():
        total.update(t)
    print(f"{'all':<9} {total['cases']:>6} {total['crafted']:>8} {total['random']:>7} {total['valid']:>6} {total['error']:>13} "
          f"{total['unclean']:>6} {total['raw']:>4}")
    print(f"peak memory of the whole corpus run: {size(peak)}")
    for c in cases:
        if c["outcome"].startswith("unclean"):
            print("  UNCLEAN", c["area"], c["case"], c["outcome"][:200])


def bombs() -> None:
    import numpy as np

    import corpus as cp

    print("\n== bombs, each in a fresh process: peak memory beyond the imports")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made: list[tuple[str, str, Path, float]] = []

        def add(label: str, kind: str, make, declares: float) -> None:
            sub = folder / str(len(made))
            sub.mkdir()
            made.append((label, kind, make(sub), declares))

        add("NPZ, 64 M zero pixels (the issue's 278 KB)", "npz", cp.npz_image_bomb, (64 << 20) * 8)
        add("NPZ, 1 G zero pixels", "npz", lambda d: cp.npz_image_bomb(d, 1 << 30), (1 << 30) * 8)
        add("HDF5, gzip 64 M zero pixels (the issue's 133 KB)", "hdf5", cp.h5_gzip_bomb, (64 << 20) * 8)
        add("HDF5, 1 GiB of float64 never written", "hdf5", cp.h5_sparse_bomb, 1 << 30)
        add("model, 16000 x 16000 zeros (the issue's 2 MB)", "model", lambda d: cp.model_bomb(d, 16000), 8 * 16000**2)
        add("config, m = 10000000, hidden = [4096]", "config",
            lambda d: (d / "huge.toml", (d / "huge.toml").write_text("m = 10000000\nhidden = [4096]\n"))[0],
            8 * 2 * 4097 * 10**7)
        print(f"{'bomb':<50} {'file':>9} {'declares':>10}  {'budget':<8} {'outcome':<8} {'seconds':>7} {'peak':>10}")
        for label, kind, path, declares in made:
            for limit in (None, "1G"):
                r = measure("dataset" if kind in ("npz", "hdf5") else kind, path, limit)
                outcome = "refused" if r["outcome"].startswith("refused") else r["outcome"][:40]
                print(f"{label:<50} {size(path.stat().st_size):>9} {size(declares):>10}  {limit or 'default':<8} "
                      f"{outcome:<8} {r['seconds']:>7.2f} {size(r['peak']):>10}")
                if outcome == "refused":
                    print(f"    {r['outcome'][9:169]}")
        del np


def copies() -> None:
    import h5py
    import numpy as np

    from tui_nn.datasets.budget import FLOAT_COPIES

    print(f"\n== loader peaks in float64 copies of the values (the budget assumes {FLOAT_COPIES} plus twice the raw bytes)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rng = np.random.RandomState(0)
        table = rng.randn(2_000_000, 8)
        np.savez(folder / "table.npz", x=table, y=(table[:, 0] > 0).astype(np.int64))
        images = rng.randint(0, 256, size=(4000, 64, 64, 3)).astype(np.uint8)
        np.savez(folder / "images.npz", x=images, y=np.arange(4000) % 2)
        with h5py.File(folder / "train_images.h5", "w") as f:
            f["train_set_x"], f["train_set_y"] = images, np.arange(4000) % 2
        with open(folder / "table.csv", "w") as f:
            f.write(",".join(f"x{i}" for i in range(8)) + ",label\n")
            for row in table[:500_000]:
                f.write(",".join(f"{v:.6g}" for v in row) + f",{int(row[0] > 0)}\n")
        for name, values, raw in (("table.npz", table.size, table.nbytes), ("images.npz", images.size, images.nbytes),
                                  ("train_images.h5", images.size, images.nbytes), ("table.csv", 500_000 * 9, 0)):
            r = measure("dataset", folder / name, None)
            copies_seen = (r["peak"] - 2 * raw) / (8 * values)
            if r["outcome"] != "loaded":
                print(f"{name}: {r['outcome']}")
            print(f"{name:<16} {values:>11,} values  peak {size(r['peak']):>9}  = 2 x raw + {copies_seen:.2f} float64 copies  "
                  f"({r['seconds']:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--random", type=int, default=60)
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-bombs", action="store_true")
    parser.add_argument("--skip-copies", action="store_true")
    args = parser.parse_args()
    if not args.skip_corpus:
        corpus(args.random)
    if not args.skip_bombs:
        bombs()
    if not args.skip_copies:
        copies()


if __name__ == "__main__":
    main()
