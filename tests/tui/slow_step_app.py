"""The real ``tui-nn`` app whose training steps do not end until released: a stand-in for a step of a huge net.

Usage: ``python slow_step_app.py MARKER_DIR [tui-nn args]``. Each step of the
training worker writes ``MARKER_DIR/step-started``, runs the real step, then
holds the worker thread until ``MARKER_DIR/release`` exists, and only then
writes ``MARKER_DIR/step-finished``. A test that never releases it sees whether
the app can quit while its worker is inside a step. (Not a test module.)
"""

import sys
import time
from pathlib import Path

from tui_nn.cli import main
from tui_nn.training import TrainingDriver

markers = Path(sys.argv.pop(1))
real_step = TrainingDriver._one_step


def held_step(self):
    (markers / "step-started").touch()
    result = real_step(self)
    while not (markers / "release").exists():
        time.sleep(0.05)
    (markers / "step-finished").touch()
    return result


TrainingDriver._one_step = held_step
sys.exit(main())
