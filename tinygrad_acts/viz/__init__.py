"""See the graph: the computation behind any Tensor, drawn with Graphviz.

>>> import tinygrad_acts as tga
>>> from tinygrad_acts import viz
>>> x = tga.tensor(0.5, requires_grad=True)
>>> y = (2 * x).tanh()
>>> g = viz.draw(y, {"x": x})        # a graphviz.Digraph; g.save("graph.svg")
>>> print(viz.to_text(y, {"x": x}))  # no dot needed   # doctest: +SKIP

The picture is data first (``model.build`` → ``GraphModel``), then DOT (``dot.to_dot``),
text and Mermaid (``text``); only rendering needs the ``dot`` program (``render``), and only
``draw``/``make_dot`` need the ``graphviz`` Python package (``pip install tinygrad-acts[viz]``).
Drawing never calls backward on your graph and never changes any ``.grad``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from ..torch_compat.creation import tensor
from . import dot as _dot
from . import fit as _fit
from . import text as _text
from .backward import build_backward
from .model import GraphModel, build
from .render import DOT_ENV, DotFailed, DotNotFound, find_dot, run_dot
from .steps import BackwardSteps, backward_steps


def draw(
    tensor: Tensor,
    params: Mapping[str, Tensor] | None = None,
    *,
    show_data: bool = True,
    show_grad: bool = True,
    show_local_grad: bool = True,
    rankdir: str = "LR",
    clusters: bool = True,
    collapse: Any = None,
    highlight: tuple[Tensor, Tensor] | None = None,
    max_nodes: int = 500,
    precision: int = 4,
    show_backward: bool = False,
) -> Any:
    """The graph that produced ``tensor``, as a ``graphviz.Digraph`` (subclass ``Graph``).

    Args:
        params: names for tensors, ``{"x": x, "w": w}`` (as torchviz's ``params``).
        show_data / show_grad / show_local_grad: the data row, the gradient row, and the
            local derivative ``∂`` on each edge. Gradients are those of ``tensor`` (of its sum
            if it has several elements), computed by a retained pass of the drawing's own.
        rankdir: ``"LR"`` (inputs left) or ``"TB"``, ``"RL"``, ``"BT"``; ``"auto"``: ``LR``
            or ``TB``, whichever fits a 1400 × 1000 window better (``dot`` lays out both;
            without ``dot``, ``LR``).
        clusters: draw each named ``fn`` function / ``nn.Module`` as a box.
        collapse: cluster names (or name tuples, or ``True`` for all top-level ones) to draw
            as one node each.
        highlight: ``(x, y)``: mark every path from ``x`` to ``y`` and list each path's
            chain-rule product, and their sum (``∂y/∂x``), in the graph's label.
        max_nodes: refuse (with advice) to draw more nodes than this.
        precision: significant digits of the numbers.
        show_backward: the backward graph instead, as ``make_dot`` draws it.
    """
    direction = "LR" if rankdir == "auto" else rankdir
    if show_backward:
        model = build_backward(
            tensor, params, show_attrs=True, show_saved=True, rankdir=direction, max_nodes=max_nodes
        )
    else:
        model = build(
            tensor,
            params,
            show_data=show_data,
            show_grad=show_grad,
            show_local_grad=show_local_grad,
            rankdir=direction,
            clusters=clusters,
            collapse=collapse,
            highlight=highlight,
            max_nodes=max_nodes,
            precision=precision,
        )
    if rankdir == "auto":
        try:
            model = _fit.fitted(model)
        except DotNotFound:  # nothing to measure with: the default direction
            pass
    return digraph(model)


def make_dot(
    var: Tensor,
    params: Mapping[str, Tensor] | None = None,
    show_attrs: bool = False,
    show_saved: bool = False,
    max_attr_chars: int = 50,
) -> Any:
    """torchviz's ``make_dot``: the backward graph of ``var`` as a ``graphviz.Digraph``."""
    model = build_backward(
        var, params, show_attrs=show_attrs, show_saved=show_saved, max_attr_chars=max_attr_chars
    )
    return digraph(model)


def digraph(model: GraphModel) -> Any:
    """A ``Graph`` (a ``graphviz.Digraph``) holding the DOT of ``model``."""
    try:
        from .graph import Graph
    except ImportError as err:
        raise ImportError(
            "viz.draw returns a graphviz.Digraph, which needs the graphviz Python package: "
            "pip install tinygrad-acts[viz]. Without it, viz.to_dot(), viz.to_text() and "
            "viz.to_mermaid() still work."
        ) from err
    return Graph(name="G", body=_dot.body_lines(model), model=model)


def _model(what: Tensor | GraphModel, params: Any, options: dict[str, Any]) -> GraphModel:
    return what if isinstance(what, GraphModel) else build(what, params, **options)


def to_dot(what: Tensor | GraphModel, params: Any = None, **options: Any) -> str:
    """The DOT source (options as for ``draw``); needs neither graphviz nor ``dot``."""
    return _dot.to_dot(_model(what, params, options))


def to_text(what: Tensor | GraphModel, params: Any = None, **options: Any) -> str:
    """The graph as an indented tree for the terminal."""
    return _text.to_text(_model(what, params, options))


def to_mermaid(what: Tensor | GraphModel, params: Any = None, **options: Any) -> str:
    """The graph as a Mermaid flowchart."""
    return _text.to_mermaid(_model(what, params, options))


def draw_function(
    f: Callable[[Tensor], Tensor], at: Any, *, name: str = "x", **options: Any
) -> Any:
    """Draw ``f`` evaluated at ``at``: ``x = tensor(at, requires_grad=True)``, ``draw(f(x))``.

    What ``fn`` functions' ``graph(at=...)`` calls; ``options`` are ``draw``'s.
    """
    x = at.detach().clone() if isinstance(at, Tensor) else tensor(at)
    if x.dtype.kind != "f":  # an integer point still gets a float32 variable, as in torch
        x = tensor(at, dtype=np.float32)
    x.requires_grad_(True)
    y = f(x)
    if not isinstance(y, Tensor):
        raise TypeError(f"the function returned a {type(y).__name__}, not a Tensor")
    params = {name: x}
    params.update(options.pop("params", None) or {})
    return draw(y, params, **options)


__all__ = [
    "DOT_ENV",
    "BackwardSteps",
    "DotFailed",
    "DotNotFound",
    "GraphModel",
    "backward_steps",
    "build",
    "build_backward",
    "digraph",
    "draw",
    "draw_function",
    "find_dot",
    "make_dot",
    "run_dot",
    "to_dot",
    "to_mermaid",
    "to_text",
]
