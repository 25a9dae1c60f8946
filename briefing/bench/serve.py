"""Live-preview latency: `build.py serve` on a copy of content/, one sheet edited at a time.

Measures what a writer waits for: from saving a sheet to the served page showing the change
(file watcher, rebuild through the hook, and the server answering), polled every 20 ms.
Run it with `python build.py bench --serve --runs 7`.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from briefing.bench import synthetic
from briefing.bench.run import ROOT, make_project
from briefing.model.errors import BriefingError


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            body: bytes = response.read()
            return body.decode("utf-8", errors="replace")
    except OSError:  # not serving yet, or rebuilding
        return ""


def _wait_for(url: str, wanted: str, timeout: float, log: Path) -> float:
    """Poll url every 20 ms until its body contains wanted; the seconds it took."""
    started = time.perf_counter()
    while wanted not in _get(url):
        if time.perf_counter() - started > timeout:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            message = f"{url} did not show {wanted!r} within {timeout:.0f} s; server log:\n"
            raise BriefingError(message + tail)
        time.sleep(0.02)
    return time.perf_counter() - started


def _edit_summary(sheet: Path, words: str) -> None:
    """Replace a sheet's top-level summary (however it is written) with words."""
    from briefing.check.yamltree import parse

    text = sheet.read_text(encoding="utf-8")
    root, _ = parse(sheet.name, text)
    assert root is not None
    keys = [entry.key_loc.line for entry in root.entries]
    start = next(e.key_loc.line for e in root.entries if e.key == "summary")
    end = min([line for line in keys if line > start] or [len(text.splitlines()) + 1])
    lines = text.splitlines(keepends=True)
    lines[start - 1 : end - 1] = [f"summary: {json.dumps(words)}\n"]
    sheet.write_text("".join(lines), encoding="utf-8")


def serve_project(root: Path, sheets: int | None = None, seed: int = 0) -> tuple[Path, Path]:
    """A project in root to serve, with a copy of content/ or a synthetic corpus of `sheets`
    sheets; and the actor sheet whose summary the benchmark edits."""
    if sheets is None:
        project = make_project(root, content=ROOT / "content")
    else:
        project = make_project(root)
        synthetic.generate(project.content, sheets, seed)
    return project.root, min((project.content / "actors").glob("*.yaml"))


def serve_latency(
    runs: int = 5, timeout: float = 60.0, sheets: int | None = None, seed: int = 0
) -> dict[str, Any]:
    """`build.py serve` on a copy of content/ (or a synthetic corpus of `sheets` sheets):
    seconds from saving a sheet to its page changing."""
    with tempfile.TemporaryDirectory(prefix="briefing-serve-") as tmp:
        _, sheet = serve_project(Path(tmp), sheets, seed)
        with socket.socket() as probe:  # a free port
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"http://127.0.0.1:{port}/actors/{sheet.stem}/"
        command = [sys.executable, str(ROOT / "build.py"), "--root", tmp, "serve"]
        started = time.perf_counter()
        with open(Path(tmp) / "serve.log", "wb") as log:
            server = subprocess.Popen(
                [*command, "--dev-addr", f"127.0.0.1:{port}"], stdout=log, stderr=log
            )
            try:
                _wait_for(url, "</html>", timeout, Path(tmp) / "serve.log")
                startup = time.perf_counter() - started
                latencies = []
                for run in range(runs):
                    token = f"Edited for the benchmark, run {run}."
                    _edit_summary(sheet, token)
                    latencies.append(_wait_for(url, token, timeout, Path(tmp) / "serve.log"))
            finally:
                server.terminate()
                server.wait(timeout=30)
    return {"startup": startup, "latencies": latencies, "median": statistics.median(latencies)}
