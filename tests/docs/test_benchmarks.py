"""The benchmark runner in --smoke mode: it runs, its correctness checks pass, its JSON has
every workload. No timing is asserted (timings belong to people running it by hand)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKLOADS = {"overhead", "throughput", "mlp", "deep", "memory", "poly"}


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "smoke.json"
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return json.loads(out.read_text()), run.stdout


def test_smoke_run_passes_its_correctness_checks(smoke):
    results, _ = smoke
    assert results["correct"] is True
    assert set(results["workloads"]) == WORKLOADS


def test_every_workload_checked_tinygrad_acts_against_hand_numpy(smoke):
    w = smoke[0]["workloads"]
    assert w["overhead"]["correct"]["tinygrad_acts"]
    assert w["deep"]["correct"]["tinygrad_acts"] and w["deep"]["no_recursion_error"]
    assert w["mlp"]["max_loss_difference"] <= 1e-10
    assert w["memory"]["correct"]["tinygrad_acts"]
    rows = w["throughput"]["rows"]
    assert {r["dtype"] for r in rows} == {"float64", "float32"}
    assert all(r["correct"]["tinygrad_acts"] and r["correct"]["numpy"] for r in rows)


def test_json_has_machine_versions_threads_and_targets(smoke, torch):
    """With torch installed, the ratios to torch-1-thread are among the targets checked."""
    results, stdout = smoke
    meta = results["meta"]
    assert meta["machine"]["nproc"] >= 1 and meta["machine"]["cpu"]
    assert set(meta["versions"]) >= {"python", "numpy", "tinygrad_acts", "torch"}
    assert meta["threads"]["OMP_NUM_THREADS"] == "1"  # the runner pinned its own process
    targets = {c["target"] for c in results["checks"]}
    assert {"mlp 1-64-64-1: seconds vs torch-1", "mlp 1-8-8-1: seconds vs torch-1"} <= targets
    assert "poly fit: seconds vs torch-1" in targets and "memory: extra peak (arrays)" in targets
    assert all(set(c) == {"target", "measured", "limit", "pass"} for c in results["checks"])
    # the table of every workload is printed
    for title in ("1. per-op", "2. throughput", "3. MLP", "4. deep graph", "5. memory", "6. poly"):
        assert title in stdout


def test_each_row_is_measured_against_its_floor(smoke):
    """The rows whose lean derivative loses digits against the accurate floor, the others
    against the lean one; gelu's limit is 1.5× its floor, every other row's 1.15×."""
    results, _ = smoke
    rows = results["workloads"]["throughput"]["rows"]
    floors = {r["activation"]: r["floor"] for r in rows}
    assert {n for n, f in floors.items() if f == "accurate"} == {
        "sigmoid", "tanh", "silu", "mish", "tanhshrink"
    }  # fmt: skip
    for r in rows:
        floor = r["ms"]["numpy_accurate" if r["floor"] == "accurate" else "numpy"]
        assert r["ratio_floor"] == pytest.approx(r["ms"]["tinygrad_acts"] / floor)
        assert r["correct"].get("numpy_accurate", True)
    limits = {c["target"]: c["limit"] for c in results["checks"]}
    assert limits["throughput: gelu float64 vs lean floor"] == 1.5 or (
        limits["throughput: gelu float64 vs scipy floor"] == 1.5
    )
    assert limits["throughput: relu float32 vs lean floor"] == 1.15


def test_hand_numpy_floors_agree_with_the_lean_formulas():
    """Each rewritten floor (in place, masks multiplied in) against the plain formula written
    the obvious way, at 1,000 points reaching every kink: the floors compute what they claim."""
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from benchmarks import hand_numpy

    x = np.random.default_rng(1).standard_normal(1000) * 3.0
    s, g = hand_numpy.leaky_relu(x, 0.01)
    assert s == pytest.approx(np.where(x > 0, x, 0.01 * x).sum())
    np.testing.assert_allclose(g, np.where(x > 0, 1.0, 0.01), rtol=1e-15)
    s, g = hand_numpy.selu(x)
    a, c = hand_numpy._SELU_ALPHA, hand_numpy._SELU_SCALE
    assert s == pytest.approx((c * np.where(x > 0, x, a * np.expm1(x))).sum())
    # f' from the forward's expm1 (t + α·scale): lean, and absolutely (not relatively) exact
    np.testing.assert_allclose(g, c * np.where(x > 0, 1.0, a * np.exp(x)), rtol=0, atol=1e-15)
    s, g = hand_numpy.hardswish(x)
    assert s == pytest.approx((x * np.clip(x + 3, 0, 6) / 6).sum())
    expected = np.where(x >= 3, 1.0, np.where(x > -3, (2 * x + 3) / 6, 0.0))
    np.testing.assert_allclose(g, expected, rtol=1e-15, atol=1e-16)
    s, g = hand_numpy.threshold(x, 0.5, -1.0)
    assert s == np.where(x > 0.5, x, -1.0).sum()
    for name, accurate in hand_numpy.ACCURATE.items():  # the same values as the lean ones here
        lean_s, lean_g = hand_numpy.ACTIVATIONS[name](x)
        acc_s, acc_g = accurate(x)
        assert acc_s == pytest.approx(lean_s, rel=1e-12)
        np.testing.assert_allclose(acc_g, lean_g, rtol=1e-9, atol=1e-12)


def test_hand_numpy_chain_gradient_matches_finite_differences():
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from benchmarks import hand_numpy

    ops = hand_numpy.chain_ops(100)
    x, h = 0.7, 1e-6
    _, g = hand_numpy.chain(np.array([x]), ops)
    up = hand_numpy.chain(np.array([x + h]), ops)[0][0]
    down = hand_numpy.chain(np.array([x - h]), ops)[0][0]
    assert g[0] == pytest.approx((up - down) / (2 * h), rel=1e-6)


def test_ab_compares_a_commit_with_the_working_tree():
    """benchmarks.ab imports HEAD's package beside the working tree's, checks they agree on the
    chain's gradient, and prints both timings (no timing is asserted)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.ab", "HEAD", "--ops", "10", "--rounds", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.startswith("chain of 10: median A ") and "B/A" in run.stdout
