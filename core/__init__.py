"""tui-nn's NumPy core: L-layer fully connected networks in the notation of the
Deep Learning Specialization, course 1 (``X (n_x, m)``, ``W[l] (n[l], n[l-1])``)."""

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, get_activation
from .costs import compute_cost, l2_cost
from .gradcheck import GradCheckResult, gradient_check, relative_error
from .initialization import INIT_SCHEMES, initialize_parameters
from .metrics import accuracy, predict, predict_proba
from .modelfile import LoadedModel, ModelFileError, load_model, save_model
from .network import OUTPUTS, NetworkSpec, check_parameters
from .optimizers import OPTIMIZERS, Optimizer, random_mini_batches, update_parameters
from .propagation import (
    LayerCache,
    linear_activation_backward,
    linear_activation_forward,
    linear_backward,
    linear_forward,
    model_backward,
    model_forward,
)
from .shapes import as_columns
from .stats import LayerStats, layer_statistics
from .stepcheck import EntryCheck, check_step
from .stepthrough import (
    ExampleGraph, LayerBackward, StepThrough, logistic_example, output_gradient_chain, output_gradient_fused,
    step_through,
)
from .trainer import Divergence, StepResult, TrainConfig, Trainer

__all__ = [
    "ACTIVATIONS", "HIDDEN_ACTIVATIONS", "INIT_SCHEMES", "OPTIMIZERS", "OUTPUTS",
    "Divergence", "GradCheckResult", "LayerCache", "LayerStats", "LoadedModel",
    "ModelFileError", "NetworkSpec", "Optimizer", "StepResult", "TrainConfig", "Trainer",
    "accuracy", "as_columns", "check_parameters", "compute_cost", "get_activation",
    "gradient_check", "initialize_parameters", "l2_cost", "layer_statistics",
    "linear_activation_backward", "linear_activation_forward", "linear_backward",
    "linear_forward", "load_model", "model_backward", "model_forward", "predict",
    "predict_proba", "random_mini_batches", "relative_error", "save_model", "update_parameters",
    # one step shown equation by equation (the app's step-through screen)
    "EntryCheck", "ExampleGraph", "LayerBackward", "StepThrough", "check_step", "logistic_example",
    "output_gradient_chain", "output_gradient_fused", "step_through",
]
