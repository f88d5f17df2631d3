"""``--plot``: one picture of every ratio against its target (needs matplotlib)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import targets


def plot(results: dict[str, Any], path: Path) -> None:
    """Left: throughput per activation (tinygrad_acts / the row's hand-NumPy floor, both
    dtypes); right: the other workloads' ratios. A dashed line marks each target; bars on a
    log scale."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    w = results["workloads"]
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(13, 6.5), gridspec_kw={"width_ratios": [3, 1.2]}
    )
    if "throughput" in w:
        rows = w["throughput"]["rows"]
        names = list(dict.fromkeys(r["activation"] for r in rows))
        for i, (dtype, color) in enumerate((("float64", "tab:blue"), ("float32", "tab:orange"))):
            ratio = {r["activation"]: r["ratio_floor"] for r in rows if r["dtype"] == dtype}
            xs = [j + (i - 0.5) * 0.4 for j in range(len(names))]
            left.bar(xs, [ratio[n] for n in names], width=0.4, color=color, label=dtype)
        left.axhline(targets.THROUGHPUT_RATIO, color="k", ls="--", lw=1, label="target 1.15×")
        floors = {r["activation"]: r["floor"] for r in rows}
        marks = {"accurate": " (acc.)", "scipy": " (scipy)", "lean": ""}
        labels = [n + marks[floors[n]] for n in names]
        left.set_xticks(range(len(names)), labels, rotation=70, fontsize=8)
        left.set_yscale("log")
        left.set_ylabel("time / hand-NumPy floor (log scale)")
        gm = ", ".join(f"{k} {v:.2f}×" for k, v in w["throughput"]["geomean_ratio_floor"].items())
        left.set_title(f"throughput, {w['throughput']['size']:,} elements (geomean: {gm})")
        left.legend()
    labels, values, limits = [], [], []
    for c in results["checks"]:
        if c["target"].startswith("throughput") or "|final loss" in c["target"]:
            continue
        if c["target"].startswith("deep: no"):
            continue
        labels.append(c["target"].replace(": ", "\n"))
        values.append(c["measured"] / c["limit"])
        limits.append(c["limit"])
    colors = ["tab:green" if v <= 1 else "tab:red" for v in values]
    right.bar(range(len(values)), values, color=colors)
    right.axhline(1.0, color="k", ls="--", lw=1)
    right.set_xticks(range(len(labels)), labels, rotation=70, fontsize=8)
    right.set_yscale("log")
    right.set_ylabel("measured / target (≤ 1 passes)")
    right.set_title("other targets")
    meta = results["meta"]
    fig.suptitle(
        f"tinygrad_acts vs torch (1 thread) and hand NumPy — {meta['date']}, "
        f"{meta['machine']['nproc']} × {meta['machine']['cpu']}, mode {meta['mode']}, "
        f"allocator: {'tuned' if any(meta.get('allocator', {}).values()) else 'glibc defaults'}"
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
