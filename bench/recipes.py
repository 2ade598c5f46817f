"""Train every recommended setting in ``tui_nn.recipes`` and print what it reaches.

    TUI_NN_DATA=../shared/data python bench/recipes.py [NAME ...]

One line per data set: train and dev accuracy of the final weights, the final cost and
the time taken. catvnoncat needs the course's files (``TUI_NN_DATA``); the scikit-learn
sets need the ``sklearn`` extra. A data set that cannot be opened is reported and skipped.
"""

from __future__ import annotations

import sys
import time

from tui_nn.config import RunConfig
from tui_nn.core import accuracy
from tui_nn.datasets import DatasetError
from tui_nn.experiment import build_experiment
from tui_nn.recipes import RECIPES


def main(names: list[str]) -> None:
    for name in names or list(RECIPES):
        recipe = RECIPES[name]
        try:
            exp = build_experiment(recipe.apply(RunConfig(dataset=name)))
        except DatasetError as e:
            print(f"{name:14} skipped: {e}")
            continue
        trainer = exp.new_trainer()
        started = time.perf_counter()
        last = None
        for last in trainer.run():
            pass
        took = time.perf_counter() - started
        ds, params = exp.dataset, trainer.parameters
        train = accuracy(ds.X_train, ds.targets(ds.Y_train), params, exp.spec)
        dev = accuracy(ds.X_dev, ds.targets(ds.Y_dev), params, exp.spec)
        print(f"{name:14} train {train:6.1%}  dev {dev:6.1%}  cost {last.cost:.4f}  {took:6.1f} s  {recipe.describe()}",
              flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
