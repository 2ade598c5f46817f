"""Peak memory of loading a CSV, as a multiple of the file's size.

    python bench/csv_memory.py [MEGABYTES]     # default 58, the size the fault-injection pass used

Writes a CSV of about that size (10 numeric feature columns with 6-7 significant
digits and a 0/1 label column, like an exported sensor table), then loads it with
``tui_nn.datasets.load_csv`` in a fresh process and reports the peak resident
memory beyond what the process held after importing tui-nn (``VmHWM``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

CHILD = """
import resource, sys
from tui_nn.datasets import load_csv
before = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])
ds = load_csv(sys.argv[1])
after = int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])
print(before * 1024, after * 1024, ds.m_train + ds.m_dev, ds.n_x)
"""


def write_csv(path: str, megabytes: float) -> int:
    """A CSV of about ``megabytes`` MB; returns its size in bytes."""
    import numpy as np

    rng = np.random.RandomState(0)
    target = int(megabytes * 1e6)
    with open(path, "w") as f:
        f.write(",".join(f"x{i}" for i in range(10)) + ",label\n")
        while f.tell() < target:
            block = rng.randn(20000, 10)
            labels = (block[:, 0] + block[:, 1] > 0).astype(int)
            f.write("".join(",".join(f"{v:.6g}" for v in row) + f",{y}\n" for row, y in zip(block, labels)))
    return os.path.getsize(path)


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 58.0
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "table.csv")
        size = write_csv(path, megabytes)
        out = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True, text=True, check=True)
        before, after, rows, n_x = (int(v) for v in out.stdout.split())
    peak = after - before
    print(f"CSV {size / 1e6:.1f} MB, {rows:,} rows x {n_x} features + label")
    print(f"peak memory while loading: {peak / 1e6:.0f} MB beyond the imports = {peak / size:.1f}x the file's size")


if __name__ == "__main__":
    main()
