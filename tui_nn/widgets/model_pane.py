"""The Model pane: dataset, layers with the shapes the course checks, and hyperparameters."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from tui_nn.datasets import feature_label
from tui_nn.experiment import Experiment
from tui_nn.safe_text import printable


class ModelPane(Static):
    """Shows an ``Experiment``; the app sets the attributes below."""

    experiment: reactive[Experiment | None] = reactive(None, always_update=True)
    """The dataset, network and config on screen."""
    selected_layer: reactive[int] = reactive(1)
    """The hidden layer the editing keys act on (0 when there is none)."""
    learning_rate: reactive[float] = reactive(0.0)
    """The live learning rate (it can change while training)."""

    def render(self) -> Group | Text:
        exp = self.experiment
        if exp is None:
            return Text("no model")
        ds, spec, cfg = exp.dataset, exp.spec, exp.config
        head = Text()
        head.append(printable(ds.name, 40), "bold")
        head.append(f"  {ds.task}\n")
        head.append(f"m train {ds.m_train}  dev {ds.m_dev}  n_x {ds.n_x}")
        if ds.X_test is not None:
            head.append(f"  test {ds.X_test.shape[1]}")
        if cfg.features is not None:
            head.append(f"\ninputs {', '.join(feature_label(f) for f in cfg.features)}")
        table = Table(box=None, padding=(0, 1), show_edge=False, expand=False)
        # The sizes must stay readable when the pane is narrow: only the shape column may shrink.
        for name, shrinks in (("l", False), ("n[l]", False), ("g[l]", True), ("W[l]", True)):
            table.add_column(Text(name), no_wrap=True, min_width=None if shrinks else len(name) + 1,
                             overflow="ellipsis" if shrinks else "fold")
        m = ds.m_train
        table.add_row(" 0", str(spec.n_x), "input", "")
        dims = spec.layer_dims
        for l, act in enumerate(spec.activations, start=1):
            selected = l == self.selected_layer and l < spec.L
            table.add_row(
                Text(f"{'>' if selected else ' '}{l}", "reverse" if selected else ""),
                str(dims[l]),
                act,
                f"({dims[l]},{dims[l - 1]})",
            )
        depth = ("L = 1: logistic regression, no hidden layer (a adds one)" if spec.L == 1
                 else f"L = {spec.L}: {spec.L - 1} hidden layer{'s' if spec.L > 2 else ''}")
        shapes = Text(f"{depth}\nb[l] (n[l], 1)\nZ[l], A[l] (n[l], {m})\nparams: {spec.parameter_count():,}\n", "dim")
        hyper = Text()
        scale = f" x{cfg.init_scale:g}" if cfg.init == "random" else ""
        hyper.append(f"lr {self.learning_rate:g}   iters {cfg.iterations}\n")
        hyper.append(f"init {cfg.init}{scale}   seed {cfg.seed}\n")
        batch = "batch" if cfg.batch_size is None else f"mini-batch {cfg.batch_size}"
        betas = {"momentum": f" β1 {cfg.beta1:g}", "adam": f" β1 {cfg.beta1:g} β2 {cfg.beta2:g}"}.get(cfg.optimizer, "")
        hyper.append(f"opt {cfg.optimizer}{betas}   {batch}   L2 {cfg.l2:g}\n")
        hyper.append(f"dtype {cfg.dtype}")
        return Group(head, table, shapes, hyper)
