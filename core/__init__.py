"""tui-nn's NumPy core: L-layer fully connected networks in the notation of the
Deep Learning Specialization, course 1 (``X (n_x, m)``, ``W[l] (n[l], n[l-1])``).

Names are imported on first use, so the stdlib-only helpers (``safefile``,
``plainjson``, ``memory``) load without NumPy: ``tui-nn runs`` reads logs
through them and starts fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS: dict[str, tuple[str, ...]] = {
    "activations": ("ACTIVATIONS", "HIDDEN_ACTIVATIONS", "get_activation"),
    "costs": ("compute_cost", "l2_cost"),
    "gradcheck": ("GradCheckResult", "gradient_check", "relative_error"),
    "initialization": ("INIT_SCHEMES", "initialize_parameters"),
    "memory": ("MemoryBudgetError",),
    "metrics": ("accuracy", "predict", "predict_proba"),
    "modelfile": ("LoadedModel", "ModelFileError", "load_model", "save_model"),
    "network": ("OUTPUTS", "NetworkSpec", "check_parameters"),
    "optimizers": ("OPTIMIZERS", "Optimizer", "random_mini_batches", "update_parameters"),
    "propagation": (
        "LayerCache", "linear_activation_backward", "linear_activation_forward", "linear_backward",
        "linear_forward", "model_backward", "model_forward",
    ),
    "safefile": ("FileRefused",),
    "shapes": ("as_columns",),
    "stats": ("LayerStats", "layer_statistics"),
    # one step shown equation by equation (the app's step-through screen)
    "stepcheck": ("EntryCheck", "check_step"),
    "stepthrough": (
        "ExampleGraph", "LayerBackward", "StepThrough", "logistic_example", "output_gradient_chain",
        "output_gradient_fused", "step_through",
    ),
    "divergence": ("Divergence",),
    "run_types": ("StepResult", "TrainConfig"),
    "trainer": ("Trainer",),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first use (PEP 562)."""
    try:
        module = _MODULE_OF[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))
