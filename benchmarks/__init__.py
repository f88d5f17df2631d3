"""Benchmarks: tinygrad_acts side by side with torch, hand-written NumPy and a scalar engine.

Run ``python -m benchmarks`` from the repository root (``--help`` lists the options). The
workloads are those of the performance issues (#8, #19):

1. ``overhead``   — per-op cost: a chain of 100 elementwise ops on one element, forward + backward.
2. ``throughput`` — every activation on 1,000,000 elements, forward + sum + backward.
3. ``mlp``        — 1-64-64-1 and 1-8-8-1 tanh MLPs, 200 full-batch SGD steps on sin(3x).
4. ``deep``       — 40,000 composed ops on one element: time and peak memory.
5. ``memory``     — a 10-layer sigmoid chain on 4,000,000 float64 elements: extra peak memory.
6. ``poly``       — a cubic a + b·x + c·x² + d·x³ fitted on 2,000 points, 2,000 SGD steps.

Every peer runs in the same process, interleaved, and the medians over repeats are compared;
what is timed is also checked (gradients against hand-written NumPy), so a fast wrong op cannot
win. Memory is measured in a fresh subprocess per framework (``benchmarks.probe``).
"""
