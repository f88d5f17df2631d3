"""The benchmark runner in --smoke mode: it runs, its correctness checks pass, its JSON has
every workload. No timing is asserted (timings belong to people running it by hand)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKLOADS = {"overhead", "throughput", "mlp", "deep", "memory"}


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
    assert "mlp: seconds vs torch-1" in targets and "memory: extra peak (arrays)" in targets
    assert all(set(c) == {"target", "measured", "limit", "pass"} for c in results["checks"])
    # the table of every workload is printed
    for title in ("1. per-op", "2. throughput", "3. MLP", "4. deep graph", "5. memory"):
        assert title in stdout


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
