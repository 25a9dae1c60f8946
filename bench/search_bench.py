"""Search at scale in headless Chromium: bytes transferred before the first result, and the
time from the last keystroke to the first result, for built sites of synthetic corpora.

Each site is served from 127.0.0.1 by Python's http.server (no compression, as the browser
receives it here; the gzip column is what a host that compresses would send). A fresh tab
loads the home page, focuses the search box and types an actor's alias, one key every
KEY_GAP seconds as a reader would; the first result must be that actor.

    python bench/search_bench.py SITE_DIR CONTENT_DIR [SITE_DIR CONTENT_DIR ...] [--runs N]

SITE_DIR is a site built with Material's search plugin (search/search_index.json) or with
Pagefind (pagefind/); CONTENT_DIR is the corpus it was built from (an alias is picked from
its actors). docs/performance.md, "Search at scale", has the results and how they were made.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from chromium import Browser, chromium_binary, serve  # noqa: E402

KEY_GAP = 0.08  # seconds between keystrokes
# Records, in the page, the time of every keydown and the first time after the latest one
# that the result list shows a result.
WATCH = """
(() => {
  window.__keyAt = 0; window.__firstAt = 0;
  const input = document.querySelector('.md-search__input');
  input.addEventListener('keydown', () => {
    window.__keyAt = performance.now(); window.__firstAt = 0;
  }, true);
  const list = document.querySelector('.md-search-result__list');
  new MutationObserver(() => {
    if (!window.__firstAt && window.__keyAt && list.querySelector('.md-search-result__item a'))
      window.__firstAt = performance.now();
  }).observe(list, {childList: true, subtree: true});
  input.focus();
  return true;
})()
"""
# Served: (wall-clock time the response was sent, path, bytes of body). The server counts,
# not the page: Pagefind's worker fetches the index, and a page does not see a worker's
# requests.
SENT: list[tuple[float, str, int]] = []


class _Counting(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        outputfile.write(data)
        SENT.append((time.time(), self.path, len(data)))


def pick_alias(content: Path) -> tuple[str, str]:
    """An alias only one actor has, and that actor's id (the first such, by file name)."""
    owners: dict[str, list[str]] = {}
    for path in sorted((content / "actors").glob("*.yaml")):
        sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
        for alias in sheet.get("editorial_aliases", []) + sheet.get("aliases", []):
            owners.setdefault(str(alias).lower(), []).append(str(sheet["id"]))
            owners[str(alias).lower()].append(str(alias))
    for found in owners.values():
        if len(found) == 2:
            return found[1], found[0]
    raise SystemExit(f"{content}: no actor has an alias of its own")


def gzip_size(site: Path, url: str) -> int:
    """The size of a served file, compressed as a host that compresses would send it."""
    path = urlsplit(url).path.lstrip("/")
    file = site / path
    if file.is_dir() or not path:
        file = file / "index.html"
    return len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else 0


def measure_once(browser: Browser, base: str, site: Path, query: str) -> dict[str, object]:
    page = browser.new_page()
    try:
        page.send("Network.setCacheDisabled", {"cacheDisabled": True})
        SENT.clear()
        page.goto(base, settle=0.2)
        page.evaluate(WATCH)
        for char in query:
            page.type_text(char)
            time.sleep(KEY_GAP)
        page.wait_until("window.__firstAt > 0", timeout=120)
        time.sleep(0.5)  # results for an earlier prefix, if any, are replaced by now
        first = page.evaluate(
            "new URL(document.querySelector('.md-search-result__item a').href).pathname"
        )
        title = page.evaluate(
            "document.querySelector('.md-search-result__item h1').textContent.trim()"
        )
        key_at, first_at, origin = page.evaluate(
            "[window.__keyAt, window.__firstAt, performance.timeOrigin]"
        )
    finally:
        page.close()
    until = (origin + first_at) / 1000 + 0.005  # wall-clock seconds; 5 ms of clock slack
    files = [(path, size) for sent, path, size in SENT if sent <= until]
    search_files = [f for f in files if f[0].startswith(("/pagefind/", "/search/"))]
    return {
        "ms": first_at - key_at,
        "bytes": sum(size for _, size in files),
        "search_bytes": sum(size for _, size in search_files),
        "gzip_bytes": sum(gzip_size(site, path) for path, _ in files),
        "requests": len(files),
        "search_requests": len(search_files),
        "first": first,
        "title": title,
    }


def measure(site: Path, content: Path, runs: int) -> dict[str, object]:
    query, actor = pick_alias(content)
    binary = chromium_binary()
    if binary is None:
        raise SystemExit("Debian's chromium is not installed")
    engine = "pagefind" if (site / "pagefind").is_dir() else "material"
    results = []
    with serve(site, _Counting) as base:
        for _ in range(runs):
            # A new browser each run: a worker's fetches ignore a tab's cache setting, so a
            # second run in the same profile would find the index in the cache.
            browser = Browser(binary)
            try:
                results.append(measure_once(browser, base, site, query))
            finally:
                browser.close()
    last = results[-1]
    return {
        "site": str(site),
        "engine": engine,
        "pages": sum(1 for _ in site.rglob("index.html")),
        "query": query,
        "expected": f"/actors/{actor}/",
        "first": last["first"],
        "title": last["title"],
        "alias_first": all(r["first"] == f"/actors/{actor}/" for r in results),
        "ms_median": statistics.median(float(str(r["ms"])) for r in results),
        "ms_all": [round(float(str(r["ms"]))) for r in results],
        "bytes": last["bytes"],
        "search_bytes": last["search_bytes"],
        "gzip_bytes": last["gzip_bytes"],
        "requests": last["requests"],
        "search_requests": last["search_requests"],
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pairs", nargs="+", help="SITE_DIR CONTENT_DIR, repeated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if len(args.pairs) % 2:
        parser.error("give SITE_DIR CONTENT_DIR pairs")
    rows = []
    for site, content in zip(args.pairs[::2], args.pairs[1::2], strict=True):
        row = measure(Path(site), Path(content), args.runs)
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
