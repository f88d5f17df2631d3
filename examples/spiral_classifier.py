"""Classify points of interleaved spirals: softmax outputs, cross-entropy loss, Adam.

The network maps a point (x, y) to one score (logit) per spiral; ``CrossEntropyLoss`` turns
the scores into probabilities with a softmax and penalises -log p(true spiral). The figure
colours the plane by the predicted spiral — the decision regions — with the data on top.

    python examples/spiral_classifier.py
    python examples/spiral_classifier.py --classes 2 --epochs 300 --out spirals.png
"""

from __future__ import annotations

import argparse
import os
import tempfile

import numpy as np

import tinygrad_acts as tga
from tinygrad_acts import nn, optim


def spirals(classes: int, points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``points`` noisy points on each of ``classes`` spiral arms (the CS231n data set)."""
    xs, labels = [], []
    for k in range(classes):
        r = np.linspace(0.0, 1.0, points)
        theta = np.linspace(k * 4.0, (k + 1) * 4.0, points) + rng.normal(0, 0.2, points)
        xs.append(np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1))
        labels.append(np.full(points, k))
    return np.concatenate(xs).astype(np.float32), np.concatenate(labels)


def save_figure(path: str, model: nn.Module, x: np.ndarray, labels: np.ndarray) -> None:
    import matplotlib.pyplot as plt

    grid = np.linspace(-1.2, 1.2, 200, dtype=np.float32)
    gx, gy = np.meshgrid(grid, grid)
    points = np.stack([gx.ravel(), gy.ravel()], axis=1)
    with tga.no_grad():
        regions = model(tga.tensor(points)).detach().numpy().argmax(axis=1).reshape(gx.shape)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.contourf(gx, gy, regions, alpha=0.3, cmap="brg", levels=np.arange(labels.max() + 2) - 0.5)
    ax.scatter(x[:, 0], x[:, 1], c=labels, cmap="brg", s=12, edgecolors="k", linewidths=0.3)
    ax.set_aspect("equal")
    ax.set_title("decision regions")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=3)
    parser.add_argument("--points", type=int, default=100, help="points per spiral")
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=600)
    parser.add_argument("--lr", type=float, default=1e-2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out", default=os.path.join(tempfile.gettempdir(), "spiral_classifier.png")
    )
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    tga.manual_seed(args.seed)

    x_np, labels_np = spirals(args.classes, args.points, rng)
    x, labels = tga.tensor(x_np), tga.tensor(labels_np)
    model = nn.Sequential(
        nn.Linear(2, args.hidden),
        nn.ReLU(),
        nn.Linear(args.hidden, args.hidden),
        nn.ReLU(),
        nn.Linear(args.hidden, args.classes),
    )
    print(model)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=args.lr)

    first = last = None
    for epoch in range(1, args.epochs + 1):
        optimizer.zero_grad()
        logits = model(x)
        loss = loss_fn(logits, labels)
        loss.backward()
        optimizer.step()
        first = loss.item() if first is None else first
        last = loss.item()
        if epoch == 1 or epoch % max(args.epochs // 6, 1) == 0:
            accuracy = (logits.detach().numpy().argmax(axis=1) == labels_np).mean()
            print(f"epoch {epoch:4d}  loss {last:.4f}  accuracy {accuracy:.1%}")

    with tga.no_grad():
        accuracy = (model(x).detach().numpy().argmax(axis=1) == labels_np).mean()
    print(f"final accuracy {accuracy:.1%}")
    print(f"loss {first:.4f} -> {last:.4f}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("matplotlib is not installed: no figure")
        return
    save_figure(args.out, model, x_np, labels_np)
    print(f"figure: {args.out}")


if __name__ == "__main__":
    main()
