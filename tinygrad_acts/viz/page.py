"""Graphs on a web page: the SVG inline, in a viewer that zooms and pans.

Inline (not in an ``<img>``), the SVG keeps its own size and its tooltips (the full-precision
values). The viewer is a scrolling pane with zoom buttons (``−``, ``fit``, ``100%``, ``+``);
dragging pans. Everything is in the page: no script or style is fetched from anywhere.

``viewer(svg)`` is the pane; a page that holds one includes ``STYLE`` in its head and
``SCRIPT`` after the last viewer. The script gives each ``.viewer`` element a ``viewer``
object: ``zoom(z)``, ``fit()`` and ``reveal(element)`` (scroll the pane to show an element).
"""

from __future__ import annotations

import html

STYLE = """<style>
.viewer{margin:4px 0}
.viewer .tools{margin:2px 0;font-size:13px}
.viewer .tools button{min-width:2.4em}
.viewer .pane{overflow:auto;border:1px solid #ccc;max-height:calc(100vh - 90px);cursor:grab;
  background:white}
.viewer .pane.dragging{cursor:grabbing;user-select:none}
.viewer .pane svg{display:block}
</style>"""

SCRIPT = """<script>
(function () {
  function natural(svg) {  // the size dot gave the picture, in CSS pixels
    var box = svg.viewBox.baseVal;
    if (box && box.width) return [box.width * 4 / 3, box.height * 4 / 3];
    var r = svg.getBoundingClientRect();
    return [r.width, r.height];
  }
  function setup(el) {
    var pane = el.querySelector(".pane");
    var label = el.querySelector(".zoom");
    var svgs = pane.querySelectorAll("svg");
    var sizes = [];
    for (var i = 0; i < svgs.length; i++) sizes.push(natural(svgs[i]));
    var state = {zoom: 1, fitted: false};
    function zoom(z) {
      z = Math.max(0.1, Math.min(8, z));
      state.zoom = z;
      for (var i = 0; i < svgs.length; i++) {
        svgs[i].style.width = (sizes[i][0] * z) + "px";
        svgs[i].style.height = (sizes[i][1] * z) + "px";
      }
      if (label) label.textContent = Math.round(z * 100) + "%";
    }
    function fit() {  // the whole picture in the window: never larger than its own size
      var w = 1, h = 1;
      for (var i = 0; i < sizes.length; i++) {
        w = Math.max(w, sizes[i][0]); h = Math.max(h, sizes[i][1]);
      }
      var room = window.innerHeight - pane.getBoundingClientRect().top - 12;
      var most = parseFloat(getComputedStyle(pane).maxHeight);  // the pane's own limit
      if (most > 0) room = Math.min(room, most);
      room -= pane.offsetHeight - pane.clientHeight;  // its borders
      var across = pane.clientWidth || el.clientWidth;
      state.fitted = true;
      zoom(Math.min(1, across / w, Math.max(room, 100) / h));
    }
    function reveal(target) {  // scroll the pane so that target is in view
      if (!target) return;
      var p = pane.getBoundingClientRect(), t = target.getBoundingClientRect();
      if (t.left < p.left || t.right > p.right) {
        pane.scrollLeft += (t.left + t.right) / 2 - (p.left + p.right) / 2;
      }
      if (t.top < p.top || t.bottom > p.bottom) {
        pane.scrollTop += (t.top + t.bottom) / 2 - (p.top + p.bottom) / 2;
      }
    }
    el.querySelectorAll("button[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        var what = b.getAttribute("data-zoom");
        state.fitted = false;
        if (what === "fit") fit();
        else if (what === "in") zoom(state.zoom * 1.25);
        else if (what === "out") zoom(state.zoom / 1.25);
        else zoom(parseFloat(what));
      });
    });
    var drag = null;  // panning: the pane scrolls with the mouse
    pane.addEventListener("mousedown", function (e) {
      drag = [e.clientX, e.clientY, pane.scrollLeft, pane.scrollTop];
      pane.classList.add("dragging");
    });
    window.addEventListener("mousemove", function (e) {
      if (!drag) return;
      pane.scrollLeft = drag[2] - (e.clientX - drag[0]);
      pane.scrollTop = drag[3] - (e.clientY - drag[1]);
    });
    window.addEventListener("mouseup", function () {
      drag = null; pane.classList.remove("dragging");
    });
    window.addEventListener("resize", function () { if (state.fitted) fit(); });
    if (el.getAttribute("data-start") === "fit") fit(); else zoom(1);
    el.viewer = {zoom: zoom, fit: fit, reveal: reveal, state: state};
  }
  document.querySelectorAll(".viewer").forEach(setup);
})();
</script>"""


def strip_prolog(svg: str) -> str:
    """An SVG document without its XML declaration and DOCTYPE, to inline it in HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def viewer(content: str, *, start: str = "1", label: str = "graph") -> str:
    """A zoomable pane around inline SVG ``content`` (already markup, not text).

    ``start`` is the first zoom: ``"1"`` (the picture's own size) or ``"fit"`` (the whole
    picture in the window, never enlarged).
    """
    if start not in ("1", "fit"):
        raise ValueError(f"start must be '1' or 'fit', got {start!r}")
    name = html.escape(label, quote=True)
    return (
        f'<div class="viewer" data-start="{start}" role="figure" aria-label="{name}">'
        '<div class="tools">zoom: <button data-zoom="out" title="smaller">−</button>'
        '<button data-zoom="fit" title="the whole picture in the window">fit</button>'
        '<button data-zoom="1" title="its own size">100%</button>'
        '<button data-zoom="in" title="larger">+</button> <span class="zoom">100%</span>'
        " · drag to pan, hover a box for its values in full</div>"
        f'<div class="pane">{content}</div></div>'
    )


def document(title: str, body: str, *, style: str = "", script: str = "") -> str:
    """A self-contained HTML page holding viewers: ``body``, the viewer script, ``script``."""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title>\n{STYLE}\n{style}</head>\n"
        f"<body>\n{body}\n{SCRIPT}\n{script}</body></html>\n"
    )
