"""A sum of tanh units can draw any curve: fit sin(3x) on [-2, 2] by gradient descent.

The universal approximation theorem (Cybenko 1989; Hornik 1991) says that sums of the form

    f(x) = c + Σⱼ aⱼ · tanh(wⱼ·x + bⱼ)

approximate any continuous function on an interval as closely as we like, given enough units.
compose_tanh.py bends a line with four hand-picked units; here gradient descent picks the
3N + 1 numbers itself, through this library's autograd and Adam.

At the end the fitted sum is written as an fn function — readable math that evaluates to the
same values as the trained Tensors (to the four digits it is written with).

    python examples/universal_approximation.py                  # 8 units, 2000 steps
    python examples/universal_approximation.py --units 3 --out fit.png
"""

from __future__ import annotations

import argparse
import os
import tempfile

import numpy as np

import tinygrad_acts as tga
from tinygrad_acts import fn, optim


def target(x: np.ndarray) -> np.ndarray:
    return np.sin(3 * x)


def fit(units: int, steps: int, lr: float, seed: int) -> tuple[fn.Expr, list[float]]:
    """Train c + Σ aⱼ tanh(wⱼx + bⱼ) on 200 points; return it as an fn function and the losses."""
    rng = np.random.default_rng(seed)
    xs = np.linspace(-2, 2, 200).reshape(-1, 1)  # a column: one row per point
    x, y = tga.tensor(xs), tga.tensor(target(xs))  # float64 arrays stay float64
    w = tga.tensor(rng.normal(0, 2, (1, units)), requires_grad=True)
    b = tga.tensor(rng.normal(0, 1, (1, units)), requires_grad=True)
    a = tga.tensor(rng.normal(0, 0.5, (units, 1)), requires_grad=True)
    c = tga.tensor(np.zeros(1), requires_grad=True)
    optimizer = optim.Adam([w, b, a, c], lr=lr)
    losses = []
    for step in range(1, steps + 1):
        hidden = (x @ w + b).tanh()  # (points, units): every unit at every point
        loss = ((hidden @ a + c - y) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if step == 1 or step % max(steps // 10, 1) == 0:
            print(f"step {step:5d}   mean squared error {loss.item():.6f}")

    # The same function as a formula, written as text and read back by fn's parser.
    def signed(v: float) -> str:
        return f"- {-v:.4g}" if v < 0 else f"+ {v:.4g}"

    text = f"{c.detach().numpy()[0]:.4g}"
    for j in range(units):
        wj, bj, aj = (float(t.detach().numpy().flat[j]) for t in (w, b, a))
        text += f" {signed(aj)}*tanh({wj:.4g}*x {signed(bj)})"
    f = fn.parse(text)
    return f, losses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=8)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out", default=os.path.join(tempfile.gettempdir(), "universal_approximation.png")
    )
    args = parser.parse_args()

    f, losses = fit(args.units, args.steps, args.lr, args.seed)
    grid = np.linspace(-2, 2, 401)
    error = np.abs(f(grid) - target(grid)).max()
    print(f"\nfitted: {f}")
    print(f"largest error on [-2, 2]: {error:.4f} (loss {losses[0]:.4f} -> {losses[-1]:.6f})")

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(matplotlib is not installed: no picture)")
        return
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(grid, target(grid), label="sin(3x)", lw=3, alpha=0.4)
    ax.plot(grid, f(grid), label=f"sum of {args.units} tanh units")
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.out, dpi=90)
    print(f"saved the fitted curve to {args.out}")


if __name__ == "__main__":
    main()
