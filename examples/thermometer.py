"""Calibrate a thermometer: learn Celsius from readings in an unknown unit.

The example from *Deep Learning with PyTorch* (Stevens, Antiga & Viehmann, Manning 2020),
chapters 5–6: first a linear model t_c = w·t_u + b fitted by gradient descent, then a small
1-8-1 tanh network on the same points. The code is torch's code with the import changed.

    python examples/thermometer.py                 # prints the losses, saves a figure
    python examples/thermometer.py --epochs 500 --out calibration.png
"""

from __future__ import annotations

import argparse
import os
import tempfile

import numpy as np

import tinygrad_acts as tga
from tinygrad_acts import nn, optim
from tinygrad_acts.nn import functional as F

# Celsius readings, and the same temperatures on the unknown thermometer.
T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0]
T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4]


def train(
    model: nn.Module, x: tga.Tensor, y: tga.Tensor, epochs: int, lr: float, label: str
) -> list[float]:
    """Plain full-batch training with SGD; returns the loss of every epoch."""
    optimizer = optim.SGD(model.parameters(), lr=lr)
    history = []
    for epoch in range(1, epochs + 1):
        loss = F.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.item())
        if epoch == 1 or epoch % max(epochs // 5, 1) == 0:
            print(f"  {label} epoch {epoch:5d}  loss {loss.item():.4f}")
    return history


def save_figure(path: str, x: np.ndarray, y: np.ndarray, models: dict[str, nn.Module]) -> None:
    import matplotlib.pyplot as plt

    grid = np.linspace(20.0, 90.0, 200).reshape(-1, 1)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, y, "o", color="black", label="readings")
    with tga.no_grad():
        for name, model in models.items():
            ax.plot(
                grid, model(tga.tensor(grid * 0.1, dtype=tga.float32)).detach().numpy(), label=name
            )
    ax.set_xlabel("unknown unit (t_u)")
    ax.set_ylabel("Celsius (t_c)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3000, help="epochs of the linear model")
    parser.add_argument("--mlp-epochs", type=int, default=5000, help="epochs of the network")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out", default=os.path.join(tempfile.gettempdir(), "thermometer.png"), help="figure"
    )
    args = parser.parse_args(argv)
    tga.manual_seed(args.seed)

    # Columns of one feature, scaled by 0.1 so plain SGD with lr=1e-2 is stable (as the book).
    t_u = tga.tensor(T_U).reshape(-1, 1) * 0.1
    t_c = tga.tensor(T_C).reshape(-1, 1)

    print("linear model: t_c = w * t_u + b")
    linear = nn.Linear(1, 1)
    lin_losses = train(linear, t_u, t_c, args.epochs, lr=1e-2, label="linear")
    w, b = linear.weight.item(), linear.bias.item()
    print(f"  w = {w:.4f}, b = {b:.4f}  (per unit of t_u: {w * 0.1:.4f} °C)")

    print("network: Linear(1, 8) - Tanh - Linear(8, 1)")
    mlp = nn.Sequential(nn.Linear(1, 8), nn.Tanh(), nn.Linear(8, 1))
    print(mlp)
    mlp_losses = train(mlp, t_u, t_c, args.mlp_epochs, lr=1e-3, label="mlp")

    print(f"linear loss {lin_losses[0]:.4f} -> {lin_losses[-1]:.4f}")
    print(f"mlp loss {mlp_losses[0]:.4f} -> {mlp_losses[-1]:.4f}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("matplotlib is not installed: no figure")
        return
    save_figure(args.out, np.array(T_U), np.array(T_C), {"linear": linear, "tanh MLP": mlp})
    print(f"figure: {args.out}")


if __name__ == "__main__":
    main()
