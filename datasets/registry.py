"""Every built-in dataset by name, with a one-line description."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Callable

import numpy as np

from . import planar, playground
from .base import Dataset, DatasetError
from .h5_loader import load_h5
from .sklearn_sets import SKLEARN_SETS, load_sklearn

GENERATOR, SKLEARN, FILE = "generator", "sklearn", "file"


@dataclass(frozen=True)
class BuiltinInfo:
    """A built-in dataset: its name, one-line description, task and where it comes from.

    ``source`` is ``"generator"`` (``generate(m=, noise=, seed=)`` returns
    ``X (n_x, m)``, ``Y (n_y, m)``), ``"sklearn"`` (needs the ``sklearn`` extra)
    or ``"file"`` (the course's HDF5 files, found from a path; needs ``h5``).
    """

    name: str
    description: str
    task: str
    generate: Callable[..., tuple[np.ndarray, np.ndarray]] | None = None
    default_m: int | None = None
    source: str = GENERATOR
    default_seed: int = 1
    default_noise: float | None = None
    n_classes: int = 2
    """Classes of a generated classification set."""
    extra: str | None = None
    """The pip extra the data set needs (``tui-nn[extra]``), if any."""

    @property
    def adjustable(self) -> bool:
        """True when ``m``, ``noise`` and ``seed`` shape the data (generated sets)."""
        return self.source == GENERATOR


def _gen(name: str, fn: Callable, task: str, m: int, description: str, noise: float, seed: int = 1, k: int = 2) -> BuiltinInfo:
    return BuiltinInfo(name, description, task, fn, m, GENERATOR, seed, noise, k)


BUILTINS: dict[str, BuiltinInfo] = {
    info.name: info
    for info in (
        _gen("flower", planar.flower, "binary", 400, "The course's planar data: two petal-shaped classes (m=400)", 0.2),
        _gen("noisy_circles", planar.noisy_circles, "binary", 200, "A circle inside a circle, noise 0.3 (the course's make_circles)", 0.3),
        _gen("noisy_moons", planar.noisy_moons, "binary", 200, "Two interleaving half moons, noise 0.2 (the course's make_moons)", 0.2),
        _gen("blobs", planar.blobs, "binary", 200, "Six Gaussian blobs folded to two classes by Y % 2 (the course's make_blobs)", 1.0, seed=5),
        _gen("gaussian_quantiles", planar.gaussian_quantiles, "binary", 200, "Inner and outer shells of a 2-D Gaussian, cov 0.5", 0.5),
        _gen("no_structure", planar.no_structure, "binary", 200, "Uniform noise with random labels: nothing to learn", 1.0),
        _gen("xor", playground.xor, "binary", 500, "Playground XOR: opposite quadrants share a class", 0.0),
        _gen("spiral", playground.spiral, "binary", 500, "Playground spiral: two interleaved arms", 0.0),
        _gen("spiral3", partial(playground.spiral, classes=3), "multiclass", 600, "Three interleaved spiral arms (softmax)", 0.0, k=3),
        _gen("circle", playground.circle, "binary", 500, "Playground circle: a disc inside a ring", 0.0),
        _gen("gauss", playground.gauss, "binary", 500, "Playground Gaussians: two clouds, separable at low noise", 0.0),
        _gen("linear", playground.linear, "binary", 500, "Two classes either side of a line: separable, for logistic regression", 0.0),
        _gen("plane", playground.plane, "regression", 500, "Playground regression: a tilted plane y = (x1 + x2) / 10", 0.0),
        _gen("multi_gauss", playground.multi_gauss, "regression", 500, "Playground regression: six signed Gaussian bumps", 0.0),
        BuiltinInfo("catvnoncat", "The course's cat / non-cat 64x64 images (HDF5 files, needs a path)", "binary",
                    source=FILE, extra="h5"),
        *(
            BuiltinInfo(name, desc, "binary" if name == "breast_cancer" else "multiclass", source=SKLEARN, extra="sklearn")
            for name, (_, desc) in SKLEARN_SETS.items()
        ),
    )
}

DEV_SEED_OFFSET = 1000
"""Dev sets of generated data come from the same generator with seed + this."""

CATVNONCAT_ENV = "TUI_NN_DATA"
"""A folder holding ``catvnoncat/`` (or the two files), searched before the working directory."""


def catvnoncat_candidates() -> list[Path]:
    """Where ``catvnoncat`` is looked for when no path is given, in order."""
    found = []
    if os.environ.get(CATVNONCAT_ENV):
        base = Path(os.environ[CATVNONCAT_ENV])
        found += [base / "catvnoncat", base]
    cwd = Path.cwd()
    found += [cwd / "catvnoncat", cwd / "data" / "catvnoncat", cwd.parent / "shared" / "data" / "catvnoncat"]
    return found


def find_catvnoncat() -> Path | None:
    """The first of ``catvnoncat_candidates()`` that holds ``train_catvnoncat.h5``, or None."""
    return next((c for c in catvnoncat_candidates() if (c / "train_catvnoncat.h5").is_file()), None)


def _catvnoncat(path: str | os.PathLike | None, seed: int) -> Dataset:
    if path is None:
        path = find_catvnoncat()
        if path is None:
            raise DatasetError(
                "catvnoncat: train_catvnoncat.h5 and test_catvnoncat.h5 were not found; give the folder that holds "
                f"them as a path, or set {CATVNONCAT_ENV} (looked in: "
                + ", ".join(str(c) for c in catvnoncat_candidates())
                + ")"
            )
    ds = load_h5(path, seed=seed)
    return _renamed(ds, "catvnoncat", BUILTINS["catvnoncat"].description)


def dev_size(m: int, dev_fraction: float | None = None) -> int:
    """Dev points drawn for ``m`` training points: ``m f / (1 - f)`` (at least 4), so the dev set
    is ``f`` of all the points; the default ``f = 0.2`` gives ``m // 4``, the sets the course's
    figures were made with."""
    if dev_fraction is None:
        return max(m // 4, 4)
    if not 0 < dev_fraction < 1:
        raise DatasetError(f"dev_fraction must be between 0 and 1, got {dev_fraction}")
    return max(int(m * dev_fraction / (1 - dev_fraction) + 1e-9), 4)


def _renamed(ds: Dataset, name: str, description: str) -> Dataset:
    return replace(ds, name=name, description=description)


def load_builtin(
    name: str,
    m: int | None = None,
    noise: float | None = None,
    seed: int | None = None,
    *,
    path: str | os.PathLike | None = None,
    classes: int | None = None,
    raw: bool = False,
    dev_fraction: float | None = None,
) -> Dataset:
    """A built-in by name.

    Generated sets: the training set is exactly the generator's output for
    ``seed`` (default 1; ``blobs`` 5 as in the course), so course figures
    reproduce; the dev set is a fresh draw of ``dev_size(m, dev_fraction)``
    points (``m // 4`` by default) from ``seed + 1000``. ``classes`` sets the
    number of arms of ``spiral``. scikit-learn sets and ``catvnoncat`` are fixed:
    ``m`` and ``noise`` do not apply, ``seed`` seeds the train/dev split and
    ``dev_fraction`` its share (scikit-learn sets; ``catvnoncat``'s dev set is the
    course's test set); ``path`` locates ``catvnoncat``.
    ``raw`` leaves the scikit-learn tables unstandardised (``tui-nn predict`` applies
    the statistics a model recorded instead).
    """
    try:
        info = BUILTINS[name]
    except KeyError:
        raise DatasetError(f"unknown dataset {name!r}; built-ins are: {', '.join(BUILTINS)}") from None
    if not info.adjustable:
        if m is not None or noise is not None or classes is not None:
            raise DatasetError(f"{name} is a fixed data set; m, noise and classes do not apply")
        split_seed = 1 if seed is None else seed
        if info.source == SKLEARN:
            return load_sklearn(name, seed=split_seed, raw=raw, dev_fraction=dev_fraction)
        if dev_fraction is not None:
            raise DatasetError(f"{name}: the dev set is the course's test set; dev_fraction does not apply")
        return _catvnoncat(path, split_seed)
    if path is not None:
        raise DatasetError(f"{name} is generated; a path does not apply")
    m = info.default_m if m is None else int(m)
    seed = info.default_seed if seed is None else int(seed)
    noise = info.default_noise if noise is None else float(noise)
    generate = info.generate
    task, n_classes = info.task, info.n_classes
    if classes is not None:
        if name not in ("spiral", "spiral3"):
            raise DatasetError(f"{name}: the number of classes is fixed; classes applies to spiral")
        if not 2 <= classes <= 26:
            raise DatasetError(f"spiral: classes must be between 2 and 26, got {classes}")
        generate = partial(playground.spiral, classes=classes)
        task, n_classes = ("binary" if classes == 2 else "multiclass"), classes
    if m < 4:
        raise DatasetError(f"{name}: m must be at least 4, got {m}")
    if not (np.isfinite(noise) and noise >= 0):
        raise DatasetError(f"{name}: noise must be a number >= 0, got {noise}")
    X, Y = generate(m=m, noise=noise, seed=seed)
    X_dev, Y_dev = generate(m=dev_size(m, dev_fraction), noise=noise, seed=seed + DEV_SEED_OFFSET)
    class_names = () if task == "regression" else tuple(str(k) for k in range(n_classes))
    return Dataset(
        name=name,
        task=task,
        X_train=X,
        Y_train=Y,
        X_dev=X_dev,
        Y_dev=Y_dev,
        feature_names=("x1", "x2"),
        class_names=class_names,
        description=info.description,
        provenance={"generator": name, "m": m, "noise": noise, "seed": seed, **({"classes": classes} if classes else {})},
    )
