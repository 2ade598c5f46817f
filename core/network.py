"""The architecture of a fully connected network: layer sizes and activations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from .costs import COSTS

OUTPUTS: tuple[str, ...] = tuple(COSTS)
"""Output activations; each fixes the cost (see ``costs.COSTS``)."""


@dataclass(frozen=True)
class NetworkSpec:
    """An L-layer network in course notation.

    ``layer_dims`` is ``(n[0], n[1], ..., n[L])`` with ``n[0] = n_x`` and
    ``n[L] = n_y``; ``hidden_activations`` names ``g[1] .. g[L-1]`` and
    ``output`` names ``g[L]`` (sigmoid, softmax or linear), which also fixes the cost.
    """

    layer_dims: tuple[int, ...]
    hidden_activations: tuple[str, ...]
    output: str = "sigmoid"

    def __post_init__(self) -> None:
        dims = tuple(int(n) for n in self.layer_dims)
        object.__setattr__(self, "layer_dims", dims)
        object.__setattr__(self, "hidden_activations", tuple(self.hidden_activations))
        if len(dims) < 2:
            raise ValueError("a network needs at least an input size and an output size")
        if any(n < 1 for n in dims):
            raise ValueError(f"every layer needs at least one unit, got {list(dims)}")
        if len(self.hidden_activations) != len(dims) - 2:
            raise ValueError(
                f"{len(dims) - 2} hidden layers need {len(dims) - 2} activations, "
                f"got {len(self.hidden_activations)}"
            )
        for name in self.hidden_activations:
            if name not in HIDDEN_ACTIVATIONS:
                raise ValueError(
                    f"unknown hidden activation {name!r}; expected one of {', '.join(HIDDEN_ACTIVATIONS)}"
                )
        if self.output not in OUTPUTS:
            raise ValueError(f"unknown output {self.output!r}; expected one of {', '.join(OUTPUTS)}")
        if self.output == "softmax" and dims[-1] < 2:
            raise ValueError("a softmax output needs at least 2 units")

    @classmethod
    def build(
        cls,
        n_x: int,
        hidden: Sequence[int],
        n_y: int = 1,
        activation: str | Sequence[str] = "relu",
        output: str = "sigmoid",
    ) -> "NetworkSpec":
        """A spec from input size, hidden sizes and output size; one activation name applies to all hidden layers."""
        hidden = list(hidden)
        acts = [activation] * len(hidden) if isinstance(activation, str) else list(activation)
        return cls((n_x, *hidden, n_y), tuple(acts), output)

    @property
    def L(self) -> int:
        """Number of layers with parameters (the input layer is not counted)."""
        return len(self.layer_dims) - 1

    @property
    def activations(self) -> tuple[str, ...]:
        """``g[1] .. g[L]``, the output activation last."""
        return (*self.hidden_activations, self.output)

    @property
    def n_x(self) -> int:
        return self.layer_dims[0]

    @property
    def n_y(self) -> int:
        return self.layer_dims[-1]

    def parameter_count(self) -> int:
        """Total number of weights and biases."""
        d = self.layer_dims
        return sum(d[l] * d[l - 1] + d[l] for l in range(1, len(d)))

    def parameter_shapes(self) -> dict[str, tuple[int, int]]:
        """``{"W1": (n[1], n[0]), "b1": (n[1], 1), ...}`` in layer order."""
        d = self.layer_dims
        shapes: dict[str, tuple[int, int]] = {}
        for l in range(1, len(d)):
            shapes[f"W{l}"] = (d[l], d[l - 1])
            shapes[f"b{l}"] = (d[l], 1)
        return shapes

    def with_hidden(self, hidden: Sequence[int], activations: Sequence[str]) -> "NetworkSpec":
        """The same input and output with other hidden layers."""
        return NetworkSpec((self.n_x, *hidden, self.n_y), tuple(activations), self.output)


def check_parameters(parameters: dict, spec: NetworkSpec) -> None:
    """Raise ``ValueError`` unless ``parameters`` has exactly the spec's keys and shapes."""
    expected = spec.parameter_shapes()
    missing = [k for k in expected if k not in parameters]
    extra = [k for k in parameters if k not in expected]
    if missing or extra:
        raise ValueError(f"parameters do not match the network: missing {missing}, unexpected {extra}")
    for key, shape in expected.items():
        if parameters[key].shape != shape:
            raise ValueError(f"{key} has shape {parameters[key].shape}, expected {shape}")


assert set(OUTPUTS) <= set(ACTIVATIONS)
