"""Logistic regression's computation graph as boxes and arrows, for one example and over m.

The course draws ``z = wᵀx + b → a = σ(z) → L(a, y)`` left to right, with the
derivatives ``da``, ``dz = a - y``, ``dw = x dz``, ``db = dz`` flowing back. Here
``w = W[1]ᵀ (n_x, 1)``; the values come from the core's ``logistic_example``.
"""

from __future__ import annotations

import numpy as np

from tui_nn.core import StepThrough, logistic_example
from tui_nn.matrix_text import block, number, product, shape, vector

INNER = 14
"""Characters inside a box."""
MEAN_CHECK_LIMIT = 1000
"""Average the per-example dw(i) only up to this many examples (it is a loop over them)."""


def has_graph(step: StepThrough) -> bool:
    """The graph is drawn for logistic regression: one layer, one sigmoid unit."""
    return step.L == 1 and step.spec.output == "sigmoid" and step.spec.n_y == 1


def _box(row: str) -> str:
    return "│" + f" {row}".ljust(INNER)[:INNER] + "│"


def graph(inputs: str, nodes: tuple[str, str, str], values: tuple[str, str, str], back: tuple[str, str, str]) -> list[str]:
    """Three boxes joined by arrows: a title, a forward value and a backward value each.

    ``inputs`` is ``x`` or ``X``; arrows ``───▶`` run forward on the title row and
    ``◀───`` backward on the derivative row.
    """
    top, bottom, gap = "┌" + "─" * INNER + "┐", "└" + "─" * INNER + "┘", "    "
    return [
        f"  {inputs} ──┐   " + gap.join([top] * 3),
        "  w ──┼──▶" + "───▶".join(_box(n) for n in nodes),
        "  b ──┘   " + gap.join(_box(v) for v in values),
        "          " + "◀───".join(_box(d) for d in back),
        "          " + gap.join([bottom] * 3),
    ]


def example_lines(step: StepThrough, i: int = 0) -> list[str]:
    """The graph for example ``i`` (0-based) with its forward values and derivatives."""
    e = logistic_example(step, i)
    w, b = step.before["W1"], step.before["b1"]
    lines = graph("x", ("z = wᵀx + b", "  a = σ(z)", "  L(a, y)"),
                  (f"z  {number(e.z)}", f"a  {number(e.a)}", f"L  {number(e.loss)}"),
                  (f"dz {number(e.dz)}", f"da {number(e.da)}", f"y  {e.y:g}"))
    return lines + [
        "",
        f"  w = W[1]ᵀ = {vector(w)}   b = {number(b[0, 0])}",
        f"  x = {vector(e.x)}   y = {e.y:g}   (column {i + 1} of X)",
        f"  z = wᵀx + b                             {number(e.z)}",
        f"  a = σ(z) = 1 / (1 + e^-z)               {number(e.a)}",
        f"  L(a, y) = -(y log a + (1-y) log(1-a))   {number(e.loss)}",
        "  backward, from the loss to the inputs:",
        f"  da = -y/a + (1-y)/(1-a)                 {number(e.da)}",
        f"  dz = da · a(1 - a) = a - y              {number(e.dz)}",
        f"  dw = x dz                               {vector(e.dw)}",
        f"  db = dz                                 {number(e.db)}",
    ]


def vectorised_lines(step: StepThrough) -> list[str]:
    """The same graph over all m columns at once: ``Z = wᵀX + b``, ``dZ = A - Y``, ``dw = (1/m) X dZᵀ``."""
    c, back, m = step.cache(1), step.layer(1), step.m
    dw = step.grads["dW1"].T
    lines = graph("X", ("Z = wᵀX + b", "  A = σ(Z)", "  J(A, Y)"),
                  (f"Z {shape(c.Z)}", f"A {shape(c.A)}", f"J  {number(step.cost)}"),
                  ("dZ = A - Y", f"dA {shape(back.dA)}", f"Y {shape(step.Y)}"))
    lines += [
        "",
        f"  Z = wᵀX + b        {product(c.W.shape, c.A_prev.shape, c.Z.shape, c.b.shape)}, b broadcast",
        "  A = σ(Z)           element by element",
        f"  J = (1/m) Σ L(A, Y) over the m = {m} columns        {number(step.cost)}",
        f"  dZ = A - Y         {shape(back.dZ)}",
        f"  dw = (1/m) X dZᵀ   {product(c.A_prev.shape, (m, 1), dw.shape)}   {vector(dw)}",
        f"  db = (1/m) Σ dZ    {number(step.grads['db1'][0, 0])}",
    ]
    if m <= MEAN_CHECK_LIMIT:
        mean = np.mean([logistic_example(step, i).dw for i in range(m)], axis=0)
        lines.append(f"  the mean of the m per-example dw = x dz: {vector(mean)}")
    lines += ["", *block("Z[1]", c.Z), *block("A[1]", c.A), *block("dZ[1]", back.dZ)]
    return lines
