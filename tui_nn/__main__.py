"""``python -m tui_nn``: the ``tui-nn`` command."""

import sys

from tui_nn.cli import main

sys.exit(main())
