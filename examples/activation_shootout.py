"""The same small network trained with each activation: which fits sin(3x) best?

Every element-wise activation in the registry (``tinygrad_acts.registry.ACTIVATIONS``) gets
an identical 1-16-16-1 MLP, the same initial weights and the same Adam steps; only the
activation differs. A table of final losses follows, and a figure of the learned curves when
matplotlib is installed.

    python examples/activation_shootout.py
    python examples/activation_shootout.py --activations tanh,relu,gelu --epochs 200
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile

import numpy as np

import tinygrad_acts as tga
from tinygrad_acts import nn, optim
from tinygrad_acts.nn import functional as F
from tinygrad_acts.registry import ACTIVATIONS


def candidates() -> list[str]:
    """Element-wise activations whose module needs no arguments (threshold needs two)."""
    names = []
    for a in ACTIVATIONS.values():
        try:
            a.module()
        except TypeError:
            continue
        if a.elementwise:
            names.append(a.name)
    return names


def make_model(activation: str, hidden: int, seed: int) -> nn.Module:
    tga.manual_seed(seed)  # the same initial weights for every activation
    act = ACTIVATIONS[activation].module
    return nn.Sequential(
        nn.Linear(1, hidden), act(), nn.Linear(hidden, hidden), act(), nn.Linear(hidden, 1)
    )


def fit(model: nn.Module, x: tga.Tensor, y: tga.Tensor, epochs: int, lr: float) -> list[float]:
    optimizer = optim.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()  # rrelu: its mean slope from now on
    return losses


def save_figure(path: str, x: np.ndarray, y: np.ndarray, models: dict[str, nn.Module]) -> None:
    import matplotlib.pyplot as plt

    cols = 4
    rows = math.ceil(len(models) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3 * cols, 2.4 * rows), squeeze=False)
    with tga.no_grad():
        for ax, (name, model) in zip(axes.flat, models.items()):
            ax.plot(x, y, color="lightgray", linewidth=3)
            ax.plot(x, model(tga.tensor(x)).detach().numpy(), color="C0")
            ax.set_title(name, fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
    for ax in list(axes.flat)[len(models) :]:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activations", default=",".join(candidates()), help="comma-separated")
    parser.add_argument("--epochs", type=int, default=400)
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out", default=os.path.join(tempfile.gettempdir(), "activation_shootout.png")
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.activations.split(",") if n.strip()]
    for name in names:
        if name not in ACTIVATIONS:
            parser.error(f"unknown activation {name!r}; known: {', '.join(candidates())}")

    x_np = np.linspace(-1.0, 1.0, 64, dtype=np.float32).reshape(-1, 1)
    y_np = np.sin(3 * x_np)
    x, y = tga.tensor(x_np), tga.tensor(y_np)

    results, models = {}, {}
    for name in names:
        models[name] = model = make_model(name, args.hidden, args.seed)
        losses = fit(model, x, y, args.epochs, args.lr)
        results[name] = (losses[0], losses[-1])
        print(f"{name:12s} loss {losses[0]:.4f} -> {losses[-1]:.6f}")

    print()
    print(f"{'activation':12s} {'final loss':>12s}")
    for name, (_, last) in sorted(results.items(), key=lambda item: item[1][1]):
        print(f"{name:12s} {last:12.6f}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("matplotlib is not installed: no figure")
        return
    save_figure(args.out, x_np, y_np, models)
    print(f"figure: {args.out}")


if __name__ == "__main__":
    main()
