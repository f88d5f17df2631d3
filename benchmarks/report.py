"""Printing a run: the header (machine, versions, threads), a table per workload, the checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PEER_ORDER = (
    "tinygrad_acts", "torch_1thread", "torch_default", "torch", "numpy_accurate", "numpy", "scalar",
)  # fmt: skip


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with right-aligned numbers."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths))]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append(
            "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths)))
        )
    return "\n".join(lines)


def _cell(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "NO"
    if isinstance(v, float):
        if v == 0 or 1e-3 <= abs(v) < 1e5:
            return f"{v:.3g}" if abs(v) < 10 else f"{v:.1f}"
        return f"{v:.2e}"
    return "-" if v is None else str(v)


def _peers(d: dict[str, Any]) -> list[str]:
    return [p for p in PEER_ORDER if p in d]


def allocator(meta: dict[str, Any]) -> str:
    """How the timed peers allocated (``benchmarks/environment.py``)."""
    settings = {k: v for k, v in meta.get("allocator", {}).items() if v is not None}
    if not settings:
        return "glibc defaults, as a user's process (freed blocks go back to the kernel)"
    listed = ", ".join(f"{k}={v}" for k, v in settings.items())
    return f"tuned: freed memory kept for reuse ({listed}); memory probes with glibc defaults"


def header(meta: dict[str, Any]) -> str:
    m, v, t = meta["machine"], meta["versions"], meta["threads"]
    lines = [
        f"tinygrad_acts benchmarks — {meta['date']} — mode {meta['mode']} — "
        f"tinygrad_acts at {meta.get('source')}",
        f"machine: {m['nproc']} CPUs, {m['cpu']}, load average {meta['load_average']}",
        "versions: " + ", ".join(f"{k} {val}" for k, val in v.items()),
        "threads: "
        + ", ".join(
            f"{k}={t[k]}" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        )
        + f"; torch reference 1 thread, torch default {t['torch_default_threads'] or 'not timed'}",
    ]
    if t["openblas_tuning_dropped"]:
        lines.append(f"dropped for this run: {t['openblas_tuning_dropped']}")
    if t["openblas_tuning_in_effect"]:
        lines.append(f"in effect (slows NumPy): {t['openblas_tuning_in_effect']}")
    if t["threadpoolctl"]:
        lines.append(f"threadpoolctl: {t['threadpoolctl']}")
    lines.append(f"allocator: {allocator(meta)}")
    return "\n".join(lines)


def overhead(w: dict[str, Any]) -> str:
    peers = _peers(w["us_per_op"])
    ref = w["us_per_op"].get("torch_1thread")
    rows = [
        [p, w["us_per_op"][p], w["us_per_op"][p] / ref if ref else None, w["correct"][p]]
        for p in peers
    ]
    title = f"1. per-op overhead: {w['ops']} ops ({', '.join(w['pattern'])}) on one element"
    return title + "\n" + table(["peer", "µs/op", "× torch-1", "grad ok"], rows)


def _throughput_peers(rows: list[dict[str, Any]]) -> list[str]:
    return _peers({p: None for r in rows for p in r["ms"]})


def _throughput_row(r: dict[str, Any], peers: list[str]) -> list[Any]:
    return [r["activation"], r["dtype"], *(r["ms"].get(p) for p in peers), r["floor"],
            r["ratio_floor"], r["ratio_numpy"], r["ratio_torch_1thread"]]  # fmt: skip


THROUGHPUT_HEADERS = ("floor", "× floor", "× lean", "× torch-1")


def throughput(w: dict[str, Any]) -> str:
    peers = _throughput_peers(w["rows"])
    rows = []
    for r in w["rows"]:
        bad = [p for p, ok in r["correct"].items() if not ok]
        rows.append([*_throughput_row(r, peers), ", ".join(bad)])
    gm = ", ".join(f"{k} {v:.2f}×" for k, v in w["geomean_ratio_floor"].items())
    title = f"2. throughput: forward + sum + backward on {w['size']:,} elements (ms)"
    headers = ["activation", "dtype", *peers, *THROUGHPUT_HEADERS, "grad mismatch"]
    body = table(headers, rows)
    return (
        f"{title}\n{body}\ngeometric mean of tinygrad_acts / floor: {gm}"
        f"\ngelu's floor: {w['gelu_floor']}"
    )


def _fit_rows(w: dict[str, Any]) -> list[list[Any]]:
    """peer, seconds, × torch-1, final loss, loss ok: one row per peer of an MLP or a fit."""
    ref = w["seconds"].get("torch_1thread")
    return [
        [p, w["seconds"][p], w["seconds"][p] / ref if ref else None, f"{w['final_loss'][p]:.15g}",
         w["correct"][p]]
        for p in _peers(w["seconds"])
    ]  # fmt: skip


FIT_HEADERS = ["peer", "seconds", "× torch-1", "final loss", "loss ok"]


def mlp(w: dict[str, Any]) -> str:
    out = []
    for run in (w, w.get("small")):
        if run:
            out.append(
                f"3. MLP {run['sizes']} tanh, {w['steps']} SGD steps (tinygrad_acts: "
                f"{w['tinygrad_acts_api']})\n" + table(FIT_HEADERS, _fit_rows(run))
            )
    return "\n".join(out)


def poly(w: dict[str, Any]) -> str:
    title = f"6. polynomial fit a + b·x + c·x² + d·x³, {w['points']:,} points, {w['steps']:,} steps"
    return title + "\n" + table(FIT_HEADERS, _fit_rows(w))


def deep(w: dict[str, Any]) -> str:
    peers = _peers({**w["seconds"], **w["errors"]})
    ref = w["seconds"].get("torch_1thread")
    mem_key = {"torch_1thread": "torch"}
    rows = []
    for p in peers:
        s = w["seconds"].get(p)
        mb = w["peak_mb"].get(mem_key.get(p, p))
        rows.append(
            [p, s, s / ref if s and ref else None, mb, w["correct"].get(p, w["errors"].get(p))]
        )
    out = f"4. deep graph: {w['ops']:,} ops on one element\n"
    out += table(["peer", "seconds", "× torch-1", "peak MB", "grad ok"], rows)
    if w["deeper"]:
        d = w["deeper"]
        status = "ok" if d["ok"] else d["error"]
        out += f"\n   tinygrad_acts at {d['ops']:,} ops: {status} ({d['seconds']:.1f} s)"
    return out


def memory(w: dict[str, Any]) -> str:
    rows = [[p, a, a * w["array_mb"], w["correct"][p]] for p, a in w["extra_arrays"].items()]
    title = (
        f"5. memory: {w['layers']}-layer sigmoid chain on {w['size']:,} float64 "
        f"(one array = {w['array_mb']:.1f} MB)"
    )
    return title + "\n" + table(["peer", "extra peak (arrays)", "MB", "grad ok"], rows)


def checks(results: list[dict[str, Any]]) -> str:
    rows = [
        [c["target"], c["measured"], c["limit"], "pass" if c["pass"] else "MISS"] for c in results
    ]
    return "targets\n" + table(["target", "measured", "limit", ""], rows)


FORMATTERS = {
    "overhead": overhead,
    "throughput": throughput,
    "mlp": mlp,
    "deep": deep,
    "memory": memory,
    "poly": poly,
}


# -- Markdown, for docs/performance.md ----------------------------------------------------------


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    """The results of a run as Markdown: machine, one table per workload, the targets."""
    meta, w = results["meta"], results["workloads"]
    m, t = meta["machine"], meta["threads"]
    out = [
        f"Run of {meta['date']}, mode `{meta['mode']}`, {meta.get('seconds', '?')} s, "
        f"tinygrad_acts at `{meta.get('source')}`.",
        "",
        f"- Machine: {m['nproc']} CPUs (`nproc`), {m['cpu']}, {m['platform']}; load average "
        f"{meta['load_average']} at the start, {meta.get('load_average_end')} at the end.",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ".",
        f"- Threads: OMP/OPENBLAS/MKL_NUM_THREADS = {t['OMP_NUM_THREADS']}/"
        f"{t['OPENBLAS_NUM_THREADS']}/{t['MKL_NUM_THREADS']}; torch reference "
        f"`set_num_threads(1)`; torch default pool: {t['torch_default_threads'] or 'not timed'}.",
        "- OpenBLAS tuning variables dropped for the run: "
        f"{t['openblas_tuning_dropped'] or 'none (not set)'}",
        f"- Allocator: {allocator(meta)}.",
    ]
    if "overhead" in w:
        o = w["overhead"]
        ref = o["us_per_op"].get("torch_1thread")
        rows = [[p, o["us_per_op"][p], o["us_per_op"][p] / ref if ref else None, o["correct"][p]]
                for p in _peers(o["us_per_op"])]  # fmt: skip
        out += ["", f"### 1. Per-op overhead ({o['ops']} ops, forward + backward)", ""]
        out.append(_md_table(["peer", "µs/op", "× torch-1", "gradient ok"], rows))
    if "throughput" in w:
        tp = w["throughput"]
        peers = _throughput_peers(tp["rows"])
        rows = [_throughput_row(r, peers) for r in tp["rows"]]
        gm = ", ".join(f"{k} **{v:.2f}×**" for k, v in tp["geomean_ratio_floor"].items())
        out += ["", f"### 2. Throughput ({tp['size']:,} elements, ms, forward + sum + backward)"]
        out += ["", f"Geometric mean of tinygrad_acts / its floor: {gm}. "
                f"gelu's floor: {tp['gelu_floor']}.", ""]  # fmt: skip
        out.append(_md_table(["activation", "dtype", *peers, *THROUGHPUT_HEADERS], rows))
    if "mlp" in w:
        ml = w["mlp"]
        for run in (ml, ml.get("small")):
            if run:
                out += ["", f"### 3. MLP {run['sizes']} tanh, {ml['steps']} SGD steps", ""]
                out.append(_md_table(FIT_HEADERS[:-1], [r[:-1] for r in _fit_rows(run)]))
    if "deep" in w:
        d = w["deep"]
        ref = d["seconds"].get("torch_1thread")
        rows = []
        for p in _peers(d["seconds"]):
            s = d["seconds"][p]
            mb = d["peak_mb"].get("torch" if p == "torch_1thread" else p)
            rows.append([p, s, s / ref if ref else None, mb])
        out += ["", f"### 4. Deep graph ({d['ops']:,} ops on one element)", ""]
        out.append(_md_table(["peer", "seconds", "× torch-1", "extra peak MB"], rows))
        if d["deeper"]:
            x = d["deeper"]
            out.append(f"\ntinygrad_acts at {x['ops']:,} ops: {'ok' if x['ok'] else x['error']}.")
    if "memory" in w:
        mm = w["memory"]
        rows = [[p, a, a * mm["array_mb"]] for p, a in mm["extra_arrays"].items()]
        out += ["", f"### 5. Memory ({mm['layers']}-layer sigmoid chain, {mm['size']:,} float64)"]
        out += ["", _md_table(["peer", "extra peak (arrays)", "MB"], rows)]
    if "poly" in w:
        po = w["poly"]
        out += ["", f"### 6. Polynomial fit ({po['points']:,} points, {po['steps']:,} steps)", ""]
        out.append(_md_table(FIT_HEADERS[:-1], [r[:-1] for r in _fit_rows(po)]))
    rows = [[c["target"], c["measured"], c["limit"], "pass" if c["pass"] else "**miss**"]
            for c in results["checks"]]  # fmt: skip
    out += ["", "### Targets", "", _md_table(["target", "measured", "limit", ""], rows)]
    return "\n".join(out) + "\n"
