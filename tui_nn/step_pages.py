"""The step-through screen's pages: one equation each, with this network's shapes and numbers.

Pure text from a core ``StepThrough`` and its ``EntryCheck``s: for logistic regression
its computation graph first, then forward for l = 1..L,
the cost, backward for l = L..1, the update per layer, and what "apply" does.
Arrays are shown as ``matrix_text`` blocks (a name, the shape, min/max/mean, a corner).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np

from tui_nn.core import EntryCheck, StepThrough
from tui_nn.logreg_graph import example_lines, has_graph, vectorised_lines
from tui_nn.matrix_text import block, fits_fixed, number, product, shape, transposed

PROSE_WIDTH = 72
CHECK_OK = 1e-7
"""The course's verdict: a relative error below this means backpropagation is right."""


@dataclass(frozen=True)
class Page:
    """One screen of the walk: ``section`` is graph, forward, cost, backward, update or apply."""

    section: str
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class TrainerStep:
    """What one ``.`` step of the trainer does, to say how it compares with the step shown."""

    m: int
    """Training examples the trainer's step uses."""
    optimizer: str
    batch_size: int | None


FORWARD_G = {
    "sigmoid": "A{l} = σ(Z{l}) = 1 / (1 + e^-Z{l})",
    "tanh": "A{l} = tanh(Z{l})",
    "relu": "A{l} = relu(Z{l}) = max(0, Z{l})",
    "leaky_relu": "A{l} = max(0.01 Z{l}, Z{l})",
    "linear": "A{l} = Z{l}  (linear: the identity)",
    "softmax": "A{l} = softmax(Z{l}) = e^Z / Σ e^Z, column by column",
}
DERIVATIVE = {
    "sigmoid": ("σ'(Z) = A(1 - A)", "A"),
    "tanh": ("tanh'(Z) = 1 - A²", "A"),
    "relu": ("relu'(Z) = 1 where Z > 0, else 0", "Z"),
    "leaky_relu": ("leaky_relu'(Z) = 1 where Z > 0, else 0.01", "Z"),
    "linear": ("linear'(Z) = 1", ""),
}
"""``g'`` in words and the cache entry it reads (A, Z or nothing)."""
COST = {
    "sigmoid": "J = -(1/m) Σ (Y log A{L} + (1-Y) log(1 - A{L}))",
    "softmax": "J = -(1/m) Σ Y log A{L}",
    "linear": "J = (1/2m) Σ (A{L} - Y)²",
}


def sub(name: str, l: int) -> str:
    """``W[2]``: an array of layer l in course notation."""
    return f"{name}[{l}]"


def check_lines(check: EntryCheck | None) -> list[str]:
    """A few entries of a gradient against central differences, and their relative error."""
    if check is None:
        return []
    name = f"{check.name[:2]}[{check.name[2:]}]"
    lines = ["", f"  numerical check of {name}: central differences at {len(check.entries)} entries"]
    fixed = fits_fixed(np.array(check.backprop + check.numeric))
    for (r, c), g, approx in zip(check.entries, check.backprop, check.numeric):
        lines.append(f"    ({r},{c})  backprop {number(g, fixed):>10}   numerical {number(approx, fixed):>10}")
    err = check.relative_error
    verdict = "ok" if err < CHECK_OK else "not finite" if not math.isfinite(err) else "too large: check backprop"
    lines.append(f"    relative error {err:.1e}  {verdict}")
    return lines


def prose(text: str) -> list[str]:
    """A sentence or two wrapped to the page's width, indented like the equations."""
    return textwrap.wrap(text, width=PROSE_WIDTH, initial_indent="  ", subsequent_indent="  ")


def trainer_agreement(difference: float | None) -> str:
    """How the trainer's own step compares with the update shown (``difference``: max |after - trainer's|)."""
    if difference is None:
        return "The trainer's own step from these parameters would diverge, so a (apply) would not take it."
    if difference == 0:
        return "The trainer's own '.' step, computed beside this one, gives these 'after' values bit for bit."
    return (f"The trainer's own '.' step, computed beside this one with its own arithmetic, gives these "
            f"'after' values to within {difference:.1e} (rounding).")


def apply_notes(shown_m: int, trainer: TrainerStep) -> tuple[bool, list[str]]:
    """Whether "apply" gives exactly the update shown (on ``shown_m`` examples), and sentences saying what it does."""
    notes = []
    if shown_m < trainer.m:
        notes.append(f"This step is on the first {shown_m} of the {trainer.m} training examples. "
                     f"a (apply) takes the trainer's own '.' step on all {trainer.m}, not the step shown.")
    if trainer.batch_size is not None and trainer.batch_size < trainer.m:
        updates = math.ceil(trainer.m / trainer.batch_size)
        notes.append(f"The trainer uses mini-batches of {trainer.batch_size}: its '.' step (one epoch) makes "
                     f"{updates} updates on shuffled batches; the screen shows one batch update.")
    if trainer.optimizer != "gd":
        notes.append(f"The trainer's optimiser is {trainer.optimizer}, whose update is not W := W - α dW. "
                     f"The screen shows plain gradient descent; a (apply) takes the trainer's '.' step "
                     f"with {trainer.optimizer}.")
    if notes:
        return False, notes
    return True, ["a (apply) takes this step as the trainer's own '.' step: its parameters become the "
                  "'after' values of the update pages and the iteration count goes up by one."]


def apply_summary(shown_m: int, trainer: TrainerStep) -> str:
    """One line for the dialog's header: what "a" does compared with the step shown."""
    if apply_notes(shown_m, trainer)[0]:
        return "a (apply) takes exactly this step, as '.' would"
    why = []
    if shown_m < trainer.m:
        why.append(f"all {trainer.m} examples, not {shown_m}")
    if trainer.batch_size is not None and trainer.batch_size < trainer.m:
        why.append(f"mini-batches of {trainer.batch_size}")
    if trainer.optimizer != "gd":
        why.append(trainer.optimizer)
    return "a (apply) takes the trainer's '.' step instead: " + ", ".join(why)


class _Pages:
    """Builds the pages of one step; ``checks`` come from ``check_step``."""

    def __init__(self, step: StepThrough, checks: dict[str, EntryCheck], trainer: TrainerStep,
                 difference: float | None) -> None:
        self.step, self.checks, self.trainer = step, checks, trainer
        self.m = step.m
        self.exact = apply_notes(self.m, trainer)[0]
        self.agreement = prose(trainer_agreement(difference)) if self.exact else []

    def all(self) -> list[Page]:
        L = self.step.L
        pages = []
        if has_graph(self.step):
            pages.append(Page("graph", "Computation graph: one example", tuple(example_lines(self.step))))
            pages.append(Page("graph", f"Computation graph: vectorised over m = {self.m}", tuple(vectorised_lines(self.step))))
        for l in range(1, L + 1):
            pages += [self.linear(l), self.activation(l)]
        pages.append(self.cost())
        pages += self.output()
        for l in range(L, 0, -1):
            if l < L:
                pages.append(self.hidden_dZ(l))
            pages += [self.dW(l), self.db(l)]
            if l > 1:
                pages.append(self.dA_prev(l))
        pages += [self.update(l) for l in range(1, L + 1)]
        pages.append(Page("apply", "Apply", tuple(self.apply_lines())))
        return pages

    def _layer_title(self, what: str, l: int) -> str:
        L = self.step.L
        return f"{what}, layer {l} of {L}" + (" (output)" if l == L else "")

    # --- forward ---------------------------------------------------------------------

    def linear(self, l: int) -> Page:
        c = self.step.cache(l)
        prev = "A[0] = X, the inputs" if l == 1 else f"{sub('A', l - 1)} from layer {l - 1}"
        lines = [
            f"  Z[{l}] = W[{l}] A[{l - 1}] + b[{l}]",
            f"  shapes  {product(c.W.shape, c.A_prev.shape, c.Z.shape, c.b.shape)}",
            f"  b[{l}] {shape(c.b)} is broadcast: NumPy adds it to each of the {self.m} columns.",
            f"  reads   W[{l}], b[{l}] (the parameters) and {prev}",
            "",
            *block(sub("W", l), c.W), *block(sub("A", l - 1), c.A_prev), *block(sub("b", l), c.b),
            *block(sub("Z", l), c.Z),
            "",
            f"  cache[{l}] ← A[{l - 1}], W[{l}], b[{l}], Z[{l}]",
        ]
        return Page("forward", self._layer_title("Forward", l) + ": the linear step", tuple(lines))

    def activation(self, l: int) -> Page:
        c, g = self.step.cache(l), self.step.spec.activations[l - 1]
        why = ""
        if g in DERIVATIVE and DERIVATIVE[g][1] == "A":
            why = f", kept so {DERIVATIVE[g][0]} needs no second {g}"
        lines = [
            "  " + FORWARD_G[g].format(l=f"[{l}]"),
            f"  shapes  {shape(c.Z)} → {shape(c.A)}, element by element",
            "",
            *block(sub("Z", l), c.Z), *block(sub("A", l), c.A),
            "",
            f"  cache[{l}] ← A[{l}]{why}",
            f"  cache[{l}] = (A[{l - 1}], W[{l}], b[{l}], Z[{l}], A[{l}])",
        ]
        return Page("forward", self._layer_title("Forward", l) + f": {g}", tuple(lines))

    def cost(self) -> Page:
        s, L = self.step, self.step.L
        out = s.spec.output
        lines = [
            "  " + COST[out].format(L=f"[{L}]"),
            f"  shapes  A[{L}] {shape(s.AL)}, Y {shape(s.Y)} → a number;  m = {self.m}",
            "",
            *block(sub("A", L), s.AL), *block("Y", s.Y),
            "",
            f"  J from A[{L}], the course's formula        {s.course_cost:.10f}",
            f"  J from Z[{L}], as the trainer computes it  {s.cost - s.l2_term:.10f}",
        ]
        if out == "sigmoid":
            lines.append(f"    (the trainer's log(1 + e^Z) - Y Z is finite for any Z[{L}])")
        if s.lambd:
            lines.append(f"  L2 term (λ/2m) Σ ||W[l]||², λ = {s.lambd:g}   {s.l2_term:.10f}")
        lines.append(f"  J = {s.cost:.10f}")
        return Page("cost", "The cost J", tuple(lines))

    # --- backward --------------------------------------------------------------------

    def output(self) -> list[Page]:
        s, L = self.step, self.step.L
        back, c, out = s.layer(L), s.cache(L), s.spec.output
        pages = []
        if back.dA is not None:
            formula = f"  dA[{L}] = -(Y/A[{L}] - (1-Y)/(1-A[{L}]))" if out == "sigmoid" else f"  dA[{L}] = A[{L}] - Y"
            lines = [
                formula + "   (the loss differentiated by A)",
                f"  shapes  {shape(c.A)}, {shape(s.Y)} → {shape(back.dA)}, element by element",
                f"  reads   A[{L}] from cache[{L}], and Y",
                "",
                *block(sub("A", L), c.A), *block("Y", s.Y), *block(sub("dA", L), back.dA),
                *check_lines(self.checks.get(f"dA{L}")),
            ]
            pages.append(Page("backward", self._layer_title("Backward", L) + f": dA[{L}]", tuple(lines)))
        if s.dZ_chain is not None:
            deriv = "g' = σ(Z)(1 - σ(Z))" if out == "sigmoid" else "g' = 1"
            lines = [
                f"  dZ[{L}] = dA[{L}] * g'(Z[{L}])   the course's chain, {deriv}",
                f"  dZ[{L}] = A[{L}] - Y             the simplified form",
                f"  largest |difference| between them: {s.chain_difference():.1e}",
                f"  reads   Z[{L}] from cache[{L}] (the chain),",
                f"          A[{L}] from cache[{L}] and Y (the simplified form)",
                f"  shapes  {shape(back.dZ)}, element by element",
                "",
                *block(sub("dA", L), back.dA), *block(f"dZ[{L}] chain", s.dZ_chain),
                *block(f"dZ[{L}] = A[{L}] - Y", back.dZ),
                "",
                f"  The trainer, and this step, go on with dZ[{L}] = A[{L}] - Y.",
            ]
        else:
            lines = [
                f"  dZ[{L}] = A[{L}] - Y",
                "  softmax with cross-entropy: the chain through softmax's Jacobian",
                "  simplifies to this (element-wise chains are for sigmoid and linear)",
                f"  reads   A[{L}] from cache[{L}], and Y",
                f"  shapes  {shape(back.dZ)}, element by element",
                "",
                *block(sub("A", L), c.A), *block("Y", s.Y), *block(sub("dZ", L), back.dZ),
            ]
        lines += check_lines(self.checks.get(f"dZ{L}"))
        pages.append(Page("backward", self._layer_title("Backward", L) + f": dZ[{L}]", tuple(lines)))
        return pages

    def hidden_dZ(self, l: int) -> Page:
        s = self.step
        back, c, g = s.layer(l), s.cache(l), s.spec.activations[l - 1]
        deriv, reads = DERIVATIVE[g]
        read = {"A": c.A, "Z": c.Z}.get(reads)
        lines = [
            f"  dZ[{l}] = dA[{l}] * g'[{l}](Z[{l}])    {deriv}",
            f"  shapes  {shape(back.dA)} * {shape(back.dZ)} → {shape(back.dZ)}, element by element",
            f"  reads   {reads}[{l}] from cache[{l}]" if reads else "  reads   nothing from the cache (g' = 1)",
            "",
            *block(sub("dA", l), back.dA),
            *(block(sub(reads, l), read) if read is not None else []),
            *block(sub("dZ", l), back.dZ),
            *check_lines(self.checks.get(f"dZ{l}")),
        ]
        return Page("backward", self._layer_title("Backward", l) + f": dZ[{l}]", tuple(lines))

    def dW(self, l: int) -> Page:
        s = self.step
        back, c = s.layer(l), s.cache(l)
        l2 = f" + (λ/m) W[{l}]" if s.lambd else ""
        lines = [
            f"  dW[{l}] = (1/m) dZ[{l}] A[{l - 1}]ᵀ{l2}" + (f"    λ = {s.lambd:g}" if s.lambd else ""),
            f"  shapes  {product(back.dZ.shape, transposed(c.A_prev), back.dW.shape)}    A[{l - 1}]ᵀ is {shape(transposed(c.A_prev))}",
            f"  reads   A[{l - 1}] (A_prev) from cache[{l}]" + (f", and W[{l}] for the L2 term" if s.lambd else ""),
            "",
            *block(sub("dZ", l), back.dZ), *block(sub("A", l - 1), c.A_prev), *block(sub("dW", l), back.dW),
            *check_lines(self.checks.get(f"dW{l}")),
        ]
        return Page("backward", self._layer_title("Backward", l) + f": dW[{l}]", tuple(lines))

    def db(self, l: int) -> Page:
        back = self.step.layer(l)
        lines = [
            f"  db[{l}] = (1/m) Σ dZ[{l}]    each row summed over the {self.m} examples (axis 1)",
            f"  shapes  {shape(back.dZ)} → {shape(back.db)}",
            "  reads   nothing from the cache: only dZ",
            "",
            *block(sub("dZ", l), back.dZ), *block(sub("db", l), back.db),
            *check_lines(self.checks.get(f"db{l}")),
        ]
        if l == 1:
            lines += ["", "  dA[0] is not computed: no layer below layer 1 needs it."]
        return Page("backward", self._layer_title("Backward", l) + f": db[{l}]", tuple(lines))

    def dA_prev(self, l: int) -> Page:
        s = self.step
        back, c = s.layer(l), s.cache(l)
        lines = [
            f"  dA[{l - 1}] = W[{l}]ᵀ dZ[{l}]",
            f"  shapes  {product(transposed(c.W), back.dZ.shape, back.dA_prev.shape)}    W[{l}]ᵀ is {shape(transposed(c.W))}",
            f"  reads   W[{l}] from cache[{l}]",
            "",
            *block(sub("W", l), c.W), *block(sub("dZ", l), back.dZ), *block(sub("dA", l - 1), back.dA_prev),
            *check_lines(self.checks.get(f"dA{l - 1}")),
        ]
        return Page("backward", self._layer_title("Backward", l) + f": dA[{l - 1}]", tuple(lines))

    # --- update ----------------------------------------------------------------------

    def update(self, l: int) -> Page:
        s = self.step
        W, b = f"W{l}", f"b{l}"
        lines = [
            f"  W[{l}] := W[{l}] - α dW[{l}]    α = {s.learning_rate:g}",
            f"  b[{l}] := b[{l}] - α db[{l}]",
            f"  on {self._examples()}",
            *(self.agreement if self.exact else ["  a (apply) does not take this update: see the last page"]),
            "",
            *block(f"W[{l}] before", s.before[W]), *block(sub("dW", l), s.grads["d" + W]),
            *block(f"W[{l}] after", s.after[W]),
            *block(f"b[{l}] before", s.before[b]), *block(sub("db", l), s.grads["d" + b]),
            *block(f"b[{l}] after", s.after[b]),
        ]
        return Page("update", self._layer_title("Update", l), tuple(lines))

    def _examples(self) -> str:
        if self.m == self.trainer.m:
            return f"all {self.m} training examples"
        return f"the first {self.m} of {self.trainer.m} training examples"

    def apply_lines(self) -> list[str]:
        _, notes = apply_notes(self.m, self.trainer)
        lines = prose(f"The step shown: batch gradient descent on {self._examples()}, α = {self.step.learning_rate:g}.")
        for note in notes:
            lines += ["", *prose(note)]
        if self.agreement:
            lines += ["", *self.agreement]
        return lines + ["", "  a: apply    escape: close, changing nothing"]


def build_pages(step: StepThrough, checks: dict[str, EntryCheck], trainer: TrainerStep,
                difference: float | None = None) -> list[Page]:
    """Every page of the walk, in order: (graph,) forward, cost, backward, update, apply.

    ``difference`` is the largest ``|after - the trainer's own result|`` when "apply"
    takes this very step (None when the trainer's step would diverge; ignored otherwise).
    """
    return _Pages(step, checks, trainer, difference).all()
