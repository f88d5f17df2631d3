"""The demo's web pages in a real browser: Debian's ``chromium``, headless.

``tinygrad-acts demo`` writes ``index.html`` and ``backward.html``; here Chromium opens them
in a 1400 × 1000 window and the test reads what the page shows through the DevTools protocol
(JSON messages over a pipe, ``--remote-debugging-pipe``; no package beyond the standard
library): the graph is drawn at its own size, a frame of the backward pass fits the window
with the node being processed in view, the slider changes the frame, and nothing is logged as
an error.

Skipped without ``chromium``; a failure when ``TINYGRAD_ACTS_REQUIRE_BROWSER=1`` (``.ci/run``
sets it, and installs Debian's ``chromium``). Needs ``dot`` as the rest of ``tests/viz``.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from tinygrad_acts import viz

WINDOW = (1400, 1000)
TIMEOUT = 20.0  # seconds for any one answer of the browser


def find_chromium() -> str:
    """The browser's path; skips without it (fails when TINYGRAD_ACTS_REQUIRE_BROWSER=1)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("TINYGRAD_ACTS_REQUIRE_BROWSER") == "1":
        pytest.fail(
            "TINYGRAD_ACTS_REQUIRE_BROWSER=1 but chromium is missing: apt-get install chromium"
        )
    pytest.skip("no chromium to open the pages in (apt-get install chromium)")


class Browser:
    """Headless Chromium driven over the DevTools pipe: fd 3 takes commands, fd 4 answers.

    Each message is one JSON object ended by a NUL byte. ``open(url)`` loads a page in a tab;
    ``js(expression)`` evaluates in it; ``errors`` collects what the page logs as an error.
    """

    def __init__(self, exe: str, profile: Path) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def plumb() -> None:  # in the child, before exec: the two pipes on fds 3 and 4
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [
                exe,
                "--headless",
                "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
                "--disable-gpu",
                "--no-first-run",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                f"--window-size={WINDOW[0]},{WINDOW[1]}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=plumb,
            pass_fds=(3, 4),
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._answers: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next_id = 0
        self.session: str | None = None
        self.errors: list[str] = []
        self.events: list[dict[str, Any]] = []

    def _read(self) -> None:
        buffer = b""
        while True:
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                message, buffer = buffer.split(b"\0", 1)
                self._answers.put(json.loads(message))

    def send(self, method: str, session: bool = True, **params: Any) -> dict[str, Any]:
        """One command; its result (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._answers.get(timeout=TIMEOUT)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self._event(answer)

    def _event(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            self.errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(" ".join(str(a.get("value")) for a in params.get("args", [])))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            self.errors.append(params["entry"].get("text", ""))

    def wait_for(self, method: str) -> None:
        while not any(e.get("method") == method for e in self.events):
            self._event(self._answers.get(timeout=TIMEOUT))

    def open(self, url: str) -> None:
        """A new tab at ``url``, the window's size, loaded."""
        target = self.send("Target.createTarget", session=False, url="about:blank")
        attached = self.send(
            "Target.attachToTarget", session=False, targetId=target["targetId"], flatten=True
        )
        self.session = attached["sessionId"]
        for domain in ("Runtime", "Log", "Page"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WINDOW[0],
            height=WINDOW[1],
            deviceScaleFactor=1,
            mobile=False,
        )
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def press(self, key: str, code: int) -> None:
        """A key press, as the user makes it, on the focused element."""
        for kind in ("keyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=code
            )

    def click(self, selector: str) -> None:
        """A left click in the middle of the element ``selector`` names (scrolled into view)."""
        x, y = self.js(
            f"(function () {{ var e = document.querySelector({json.dumps(selector)});"
            "e.scrollIntoView({block: 'center'}); var r = e.getBoundingClientRect();"
            "return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def close(self) -> None:
        try:
            self.send("Browser.close", session=False)
        except (RuntimeError, queue.Empty, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_chrome)
        self._reader.join(timeout=5)
        os.close(self._from_chrome)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh ``tinygrad-acts demo`` folder (needs ``dot``)."""
    try:
        viz.find_dot()
    except viz.DotNotFound:
        if os.environ.get("TINYGRAD_ACTS_REQUIRE_DOT") == "1":
            pytest.fail("TINYGRAD_ACTS_REQUIRE_DOT=1 but dot is missing")
        pytest.skip("Graphviz's dot is not installed (apt-get install graphviz)")
    folder = tmp_path_factory.mktemp("pages") / "demo"
    done = subprocess.run(
        [sys.executable, "-m", "tinygrad_acts", "demo", "-o", str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    exe = find_chromium()
    b = Browser(exe, tmp_path_factory.mktemp("profile"))
    yield b
    b.close()


# What the page shows, read in the page: boxes are [left, top, right, bottom] in CSS pixels.
BOX = "(function (r) { return [r.left, r.top, r.right, r.bottom]; })"
SHOWN = (
    "Array.prototype.findIndex.call(document.querySelectorAll('.frame'), "
    "function (f) { return f.style.display !== 'none'; })"
)


def test_index_shows_the_graph_at_its_own_size_with_its_tooltips(browser, demo):
    browser.open((demo / "index.html").as_uri())
    assert browser.js("document.querySelector('h1').textContent") == "tinygrad_acts demo"
    assert browser.js("document.querySelectorAll('img').length") == 2
    assert browser.js("Array.prototype.every.call(document.images, i => i.naturalWidth > 0)")
    # The graph is inline, as many boxes as graph.svg has, at the size dot gave it.
    nodes = (demo / "graph.svg").read_text(encoding="utf-8").count('class="node"')
    assert nodes > 10 and browser.js("document.querySelectorAll('#graph g.node').length") == nodes
    natural = browser.js("document.querySelector('#graph svg').viewBox.baseVal.width * 4 / 3")
    left, _, right, _ = browser.js(
        BOX + "(document.querySelector('#graph svg').getBoundingClientRect())"
    )
    assert right - left == pytest.approx(natural, abs=1)
    # Every box keeps its tooltip, the values in full.
    tips = browser.js(
        "Array.prototype.map.call(document.querySelectorAll('#graph g.node a'), "
        "a => a.getAttribute('xlink:title'))"
    )
    assert len(tips) == nodes and any("grad = " in t for t in tips)
    # Zooming in makes it larger.
    browser.click("#graph button[data-zoom=in]")
    left, _, right, _ = browser.js(
        BOX + "(document.querySelector('#graph svg').getBoundingClientRect())"
    )
    assert right - left == pytest.approx(natural * 1.25, abs=1)
    assert browser.errors == []


def test_backward_page_fits_the_window_and_follows_the_slider(browser, demo):
    browser.open((demo / "backward.html").as_uri())
    frames = browser.js("document.querySelectorAll('.frame').length")
    assert frames == len(list((demo / "backward").glob("step_*.svg"))) and frames > 3
    assert browser.js(SHOWN) == 0
    assert browser.js("document.getElementById('caption').textContent").startswith("step 0 of")
    # The frame fits the window, and is not shrunk to nothing.
    width, height = browser.js("[innerWidth, innerHeight]")
    left, top, right, bottom = browser.js(
        BOX + "(document.querySelector('.frame svg').getBoundingClientRect())"
    )
    assert left >= 0 and top >= 0 and right <= width and bottom <= height
    assert max(right - left, bottom - top) > 0.6 * min(width, height)
    seed_picture = browser.js("document.querySelectorAll('.frame')[0].innerHTML")

    # The slider, moved by the keyboard: the next frame, with the output's node marked.
    browser.js("document.getElementById('slider').focus()")
    browser.press("ArrowRight", 39)
    assert browser.js(SHOWN) == 1
    assert browser.js("document.getElementById('caption').textContent").startswith("step 1 of")
    assert browser.js("document.querySelectorAll('.frame')[1].innerHTML") != seed_picture
    marked = "document.querySelectorAll('.frame')[1].querySelector('g[id=\"n0\"] polygon')"
    assert browser.js(marked + ".getAttribute('fill')") == viz.dot.FOCUS_FILL

    # At its own size the frame is larger than the window: each step's node is kept in view.
    browser.click("button[data-zoom='1']")
    assert browser.js("document.querySelector('.viewer').viewer.state.zoom") == 1
    picture = browser.js(
        BOX + "(document.querySelectorAll('.frame svg')[1].getBoundingClientRect())"
    )
    pane = browser.js(BOX + "(document.querySelector('.pane').getBoundingClientRect())")
    assert (
        picture[3] - picture[1] > pane[3] - pane[1] or picture[2] - picture[0] > pane[2] - pane[0]
    )
    browser.js("document.getElementById('slider').focus()")
    for step in range(2, frames):
        browser.press("ArrowRight", 39)
        assert browser.js(SHOWN) == step
        node = browser.js(
            BOX + "(document.querySelectorAll('.frame')[" + str(step) + "].querySelector("
            "'g[id=\"' + document.querySelectorAll('.frame')[" + str(step) + "]"
            ".getAttribute('data-focus') + '\"]').getBoundingClientRect())"
        )
        pane = browser.js(BOX + "(document.querySelector('.pane').getBoundingClientRect())")
        assert (
            pane[0] <= node[0] and node[2] <= pane[2] and pane[1] <= node[1] and node[3] <= pane[3]
        )
    assert browser.errors == []
