"""The backward pass as a film: one frame per step of the engine.

Frame ``k`` marks the node the engine processes at step ``k`` (in ``topological_order``) and
shows what is known once it is done: the gradients of tensors whose every consumer has been
processed, the contributions already passed back along edges, and ``?`` for the rest.

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
from . import render
from .dot import Layout, to_dot
from .escape import dot_html, shown
from .model import GraphModel, build


def frame_model(model: GraphModel, step: int) -> GraphModel:
    """The model as it stands after the engine's step ``step`` (``0`` is the output)."""
    processed = {model.id_of(node) for node in model.order[: step + 1]}
    consumers: dict[str, set[str]] = {}
    for edge in model.edges:
        consumers.setdefault(edge.tail, set()).add(edge.head)
    frame = copy.copy(model)
    frame.nodes = [copy.copy(n) for n in model.nodes]
    frame.edges = [copy.copy(e) for e in model.edges]
    for node in frame.nodes:
        if node.kind != "output" and not consumers.get(node.id, set()) <= processed:
            node.grad, node.grad_missing = None, "?"
    for edge in frame.edges:
        if edge.head not in processed:
            edge.grad_out = edge.contribution = None
    return frame


def layout_of(source: str) -> Layout:
    """Positions of everything in ``source`` as ``dot`` lays it out (via ``-Tjson``)."""
    data = json.loads(render.run_dot(source, "json").decode("utf-8"))
    layout = Layout(bb=data.get("bb", ""), lp=data.get("lp"))
    for obj in data.get("objects", []):
        if "pos" in obj:
            layout.nodes[obj["name"]] = (obj["pos"], obj["width"], obj["height"])
        elif "bb" in obj:
            layout.clusters[obj["name"]] = obj["bb"]
    for edge in data.get("edges", []):
        if "id" in edge and "pos" in edge:
            layout.edges[edge["id"]] = (edge["pos"], edge.get("lp"))
    return layout


class BackwardSteps:
    """The frames of the backward pass of ``tensor`` (see the module doc).

    ``order`` is the engine's ``topological_order``; ``sources`` the DOT of each frame (no
    ``dot`` needed); ``render()`` the frames with pinned positions; ``save(path)`` writes
    numbered ``.svg``/``.png`` files (``path`` is a directory) or one ``.html`` page.
    """

    def __init__(self, model: GraphModel) -> None:
        self.model = model
        self.order = list(model.order)
        self.focus = [model.id_of(node) for node in self.order]
        self.frames = [frame_model(model, k) for k in range(len(self.order))]

    def __len__(self) -> int:
        return len(self.frames)

    @property
    def sources(self) -> list[str]:
        """Each frame's DOT source (laid out freely: positions are pinned only by render)."""
        return [to_dot(f, focus=fid) for f, fid in zip(self.frames, self.focus)]

    def render(self, fmt: str = "svg") -> list[bytes]:
        """Every frame rendered by ``dot``, each node where it is in every other frame."""
        layout = layout_of(to_dot(self.model))
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
        """One self-contained page: every frame's SVG inline, a slider and a play button."""
        frames = []
        for k, svg in enumerate(self.render("svg")):
            body = render.strip_prolog(svg.decode("utf-8"))
            hidden = "" if k == 0 else ' style="display:none"'
            frames.append(f'<div class="frame"{hidden}>{body}</div>')
        captions = [
            f"step {k + 1} of {len(self)}: backward of {shown(self.model.node(fid).title)}"
            for k, fid in enumerate(self.focus)
        ]
        return _PAGE % {
            "frames": "\n".join(frames),
            "captions": json.dumps([dot_html(c) for c in captions]).replace("</", "<\\/"),
            "last": max(len(self) - 1, 0),
        }


def backward_steps(tensor: Tensor, params: Any = None, **options: Any) -> BackwardSteps:
    """The backward pass of ``tensor`` as frames (options as for ``draw``, but no collapse)."""
    if "collapse" in options or "highlight" in options:
        raise TypeError("backward_steps draws every op of the engine: no collapse or highlight")
    if tensor.grad_fn is None:
        raise ValueError("backward_steps needs a tensor made by ops (it has no grad_fn)")
    return BackwardSteps(build(tensor, params, **options))


_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>backward, step by step</title>
<style>body{font-family:sans-serif} #bar{margin:8px 0} #slider{width:60%%}</style></head>
<body>
<div id="bar"><button id="play">play</button>
<input id="slider" type="range" min="0" max="%(last)d" value="0">
<span id="caption"></span></div>
%(frames)s
<script>
(function () {
  var frames = document.querySelectorAll(".frame");
  var captions = %(captions)s;
  var slider = document.getElementById("slider");
  var caption = document.getElementById("caption");
  var button = document.getElementById("play");
  var timer = null;
  function show(k) {
    for (var i = 0; i < frames.length; i++) frames[i].style.display = i === k ? "" : "none";
    slider.value = k;
    caption.innerHTML = captions[k] || "";
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
</body></html>
"""
