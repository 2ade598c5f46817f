"""How many BLAS threads a command trains with, chosen before NumPy loads.

Idle, two BLAS threads train medium nets 1.5-1.8x faster; beside one busy core
they are 1.2-1.8x slower than one thread (OpenBLAS threads wait for each other),
and tiny nets never use a second thread (``bench/blas_threads.py``). So a command
that trains keeps the library's default while the 1-minute load average leaves
a core free, and takes one thread otherwise. A count the user set wins.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, MutableMapping

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True)
class BlasChoice:
    """The BLAS thread count a process uses and why."""

    threads: str
    """"1", "default" (the library's own choice, one per core) or the value the user set."""
    source: str
    """"user" (an environment variable was set), "busy" or "idle" (from the load average)."""
    load_average: float | None
    cores: int
    variable: str | None = None
    """The environment variable the user set, when ``source`` is "user"."""

    def describe(self) -> str:
        """One line for a person, e.g. ``BLAS threads: 1 (machine busy: load 3.10 on 2 cores)``."""
        if self.source == "user":
            return f"BLAS threads: {self.threads} ({self.variable} is set)"
        load = "unknown load" if self.load_average is None else f"load {self.load_average:.2f}"
        if self.source == "busy":
            return f"BLAS threads: 1 (machine busy: {load} on {self.cores} cores)"
        return f"BLAS threads: library default ({load} on {self.cores} cores)"

    def to_json(self) -> dict[str, object]:
        return {"threads": self.threads, "source": self.source, "load_average": self.load_average,
                "cores": self.cores, "variable": self.variable}


def choose_blas_threads(environ: Mapping[str, str], cores: int, load_average: float | None) -> BlasChoice:
    """One thread when the load average leaves no core free; the default otherwise; the user's setting always."""
    for variable in BLAS_THREAD_VARIABLES:
        if variable in environ:
            return BlasChoice(environ[variable], "user", load_average, cores, variable)
    load = 0.0 if load_average is None else load_average
    if cores > 1 and load <= cores - 1:
        return BlasChoice("default", "idle", load_average, cores)
    return BlasChoice("1", "busy", load_average, cores)


def apply_blas_choice(environ: MutableMapping[str, str] | None = None) -> BlasChoice:
    """Choose for this machine now and set the variables for a one-thread choice.

    Must run before NumPy is imported (the count is fixed when the library loads).
    """
    environ = os.environ if environ is None else environ
    try:
        load: float | None = os.getloadavg()[0]
    except OSError:
        load = None
    choice = choose_blas_threads(environ, os.cpu_count() or 1, load)
    if choice.source == "busy":
        for variable in BLAS_THREAD_VARIABLES:
            environ[variable] = "1"
    return choice
