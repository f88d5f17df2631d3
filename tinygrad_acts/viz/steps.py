"""The backward pass as a film: the seed, then one frame per step of the engine.

Frame 0 is the seed: the output's gradient (ones) and nothing else known. Frame ``k`` marks
the node the engine processes at step ``k`` (in ``topological_order``): the edges into it turn
red as its contributions arrive at its inputs. A tensor used by several ops shows its gradient
as a running sum, one part per consumer, ``0.46 + ?`` until every part has arrived, then
``0.46 − 0.79 = −0.32``: that is the accumulation ``grad += contribution`` of the engine.

The layout is pinned so nothing moves between frames: ``dot`` lays out the last frame once
(``-Tjson`` gives every node's position and size, every edge's spline), and every frame is
drawn with those positions by ``neato -n2``, which keeps them as given.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

from ..core.tensor import Tensor
from . import fit, page, render
from .dot import Layout, to_dot
from .escape import dot_html, shown
from .model import GraphModel, build


def frame_model(model: GraphModel, step: int) -> GraphModel:
    """The model as it stands after the engine's first ``step`` steps (``0``: the seed)."""
    rank = {model.id_of(node): k for k, node in enumerate(model.order)}
    processed = {node_id for node_id, k in rank.items() if k < step}
    frame = copy.copy(model)
    frame.nodes = [copy.copy(n) for n in model.nodes]
    frame.edges = [copy.copy(e) for e in model.edges]
    for edge in frame.edges:
        if edge.head not in processed:
            edge.grad_out = edge.contribution = None
    # Each tensor's parts of its gradient, in the order its consumers are processed.
    outgoing: dict[str, list[Any]] = {}
    for edge in sorted(frame.edges, key=lambda e: rank.get(e.head, len(rank))):
        outgoing.setdefault(edge.tail, []).append(edge)
    for node in frame.nodes:
        if node.kind == "output":
            node.seed = True
            continue
        edges = outgoing.get(node.id, [])
        if not {e.head for e in edges} <= processed:
            node.grad, node.grad_missing = None, "?"
        if len(edges) > 1 and node.has_grad:
            node.grad_parts = [e.contribution for e in edges]
    return frame


def layout_of(source: str) -> Layout:
    """Positions of everything in ``source`` as ``dot`` lays it out (via ``-Tjson``)."""
    data = json.loads(render.run_dot(source, "json").decode("utf-8"))
    layout = Layout(bb=data.get("bb", ""), lp=data.get("lp"))
    for obj in data.get("objects", []):
        if "pos" in obj:
            layout.nodes[obj["name"]] = (obj["pos"], obj["width"], obj["height"])
        elif "bb" in obj:
            layout.clusters[obj["name"]] = (obj["bb"], obj.get("lp"))
    for edge in data.get("edges", []):
        if "id" in edge and "pos" in edge:
            layout.edges[edge["id"]] = (edge["pos"], edge.get("lp"))
    return layout


class BackwardSteps:
    """The frames of the backward pass of ``tensor`` (see the module doc).

    ``order`` is the engine's ``topological_order``; ``frames`` the seed and one model per
    step; ``focus`` the id of the node each frame processes (``None`` for the seed);
    ``sources`` the DOT of each frame (no
    ``dot`` needed); ``render()`` the frames with pinned positions; ``save(path)`` writes
    numbered ``.svg``/``.png`` files (``path`` is a directory) or one ``.html`` page.
    """

    def __init__(self, model: GraphModel) -> None:
        self.model = model
        self.order = list(model.order)
        self.focus: list[str | None] = [None] + [model.id_of(node) for node in self.order]
        self.frames = [frame_model(model, k) for k in range(len(self.order) + 1)]

    def __len__(self) -> int:
        return len(self.frames)

    @property
    def sources(self) -> list[str]:
        """Each frame's DOT source (laid out freely: positions are pinned only by render)."""
        return [to_dot(f, focus=fid) for f, fid in zip(self.frames, self.focus)]

    def render(self, fmt: str = "svg") -> list[bytes]:
        """Every frame rendered by ``dot``, each node where it is in every other frame."""
        layout = layout_of(to_dot(self.frames[-1]))  # the last frame says the most
        return [
            render.run_dot(to_dot(f, focus=fid, layout=layout), fmt, engine="neato", args=("-n2",))
            for f, fid in zip(self.frames, self.focus)
        ]

    def save(self, path: str | os.PathLike[str], fmt: str = "svg") -> list[Path]:
        """``path.html``: one page with a slider; otherwise a directory of numbered files."""
        path = Path(path)
        if path.suffix.lower() == ".html":
            path.write_text(self.html(), encoding="utf-8")
            return [path]
        if fmt not in ("svg", "png", "pdf"):
            raise ValueError(f"fmt must be 'svg', 'png' or 'pdf', got {fmt!r}")
        frames = self.render(fmt)  # first: without dot, not even the folder is made
        path.mkdir(parents=True, exist_ok=True)
        written = []
        for k, data in enumerate(frames):
            out = path / f"step_{k:03d}.{fmt}"
            out.write_bytes(data)
            written.append(out)
        return written

    def html(self) -> str:
        """One self-contained page: every frame's SVG inline, a slider and a play button.

        The frame is fitted to the window (the zoom buttons change that), and the node being
        processed is scrolled into view at every step.
        """
        frames = []
        for k, svg in enumerate(self.render("svg")):
            body = render.strip_prolog(svg.decode("utf-8"))
            hidden = "" if k == 0 else ' style="display:none"'
            focus = f' data-focus="{self.focus[k]}"' if self.focus[k] else ""
            frames.append(f'<div class="frame"{focus}{hidden}>{body}</div>')
        body = _BAR % {"last": len(self) - 1} + page.viewer(
            "\n".join(frames), start="fit", label="backward pass"
        )
        captions = json.dumps([dot_html(c) for c in self.captions()]).replace("</", "<\\/")
        return page.document(
            "backward, step by step", body, style=_STYLE, script=_SCRIPT % {"captions": captions}
        )

    def captions(self) -> list[str]:
        """What each frame shows, in words."""
        n = len(self.order)
        seed = "ones" if self.model.nodes and self.model.nodes[0].shape else "1"
        first = f"step 0 of {n}: the seed, the output's gradient with respect to itself = {seed}"
        return [first] + [
            f"step {k} of {n}: backward of {shown(self.model.node(self.focus[k]).title)}"
            for k in range(1, n + 1)
        ]


def backward_steps(tensor: Tensor, params: Any = None, **options: Any) -> BackwardSteps:
    """The backward pass of ``tensor`` as frames (options as for ``draw``, but no collapse).

    ``rankdir="auto"`` lays the frames out the way that fits a window (``fit``; needs ``dot``).
    """
    if "collapse" in options or "highlight" in options:
        raise TypeError("backward_steps draws every op of the engine: no collapse or highlight")
    if tensor.grad_fn is None:
        raise ValueError("backward_steps needs a tensor made by ops (it has no grad_fn)")
    auto = options.get("rankdir") == "auto"
    if auto:
        options["rankdir"] = "LR"
    model = build(tensor, params, **options)
    return BackwardSteps(fit.fitted(model) if auto else model)


_STYLE = (
    "<style>body{font-family:sans-serif;margin:8px} #bar{margin:4px 0} #slider{width:50%}</style>"
)

_BAR = """<div id="bar"><button id="play">play</button>
<input id="slider" type="range" min="0" max="%(last)d" value="0" aria-label="step">
<span id="caption"></span></div>
"""

_SCRIPT = """<script>
(function () {
  var frames = document.querySelectorAll(".frame");
  var view = document.querySelector(".viewer").viewer;
  var captions = %(captions)s;
  var slider = document.getElementById("slider");
  var caption = document.getElementById("caption");
  var button = document.getElementById("play");
  var timer = null;
  function show(k) {
    for (var i = 0; i < frames.length; i++) frames[i].style.display = i === k ? "" : "none";
    slider.value = k;
    caption.innerHTML = captions[k] || "";
    var focus = frames[k].getAttribute("data-focus");
    if (focus) view.reveal(frames[k].querySelector('g[id="' + focus + '"]'));
  }
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
  button.addEventListener("click", function () {
    if (timer) { clearInterval(timer); timer = null; button.textContent = "play"; return; }
    button.textContent = "pause";
    timer = setInterval(function () {
      var k = parseInt(slider.value, 10) + 1;
      if (k >= frames.length) {
        clearInterval(timer); timer = null; button.textContent = "play"; return;
      }
      show(k);
    }, 900);
  });
  show(0);
})();
</script>
"""
