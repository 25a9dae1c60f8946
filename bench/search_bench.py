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
import json
import statistics
import sys
import time
from pathlib import Path
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
TRANSFERRED = """
(() => {
  const until = window.__firstAt;
  const entries = [performance.getEntriesByType('navigation')[0],
                   ...performance.getEntriesByType('resource')];
  return entries.filter(e => e.responseEnd <= until + 1)
                .map(e => [e.name, e.transferSize, e.encodedBodySize]);
})()
"""


def pick_alias(content: Path) -> tuple[str, str]:
    """An actor's alias and the actor's id (the first actor, by file name, with one)."""
    for path in sorted((content / "actors").glob("*.yaml")):
        sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
        for alias in sheet.get("editorial_aliases", []) + sheet.get("aliases", []):
            return str(alias), str(sheet["id"])
    raise SystemExit(f"{content}: no actor has an alias")


def gzip_size(site: Path, url: str) -> int:
    path = urlsplit(url).path.lstrip("/")
    file = site / path
    if file.is_dir() or not path:
        file = file / "index.html"
    return len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else 0


def measure_once(browser: Browser, base: str, site: Path, query: str) -> dict[str, object]:
    page = browser.new_page()
    try:
        page.send("Network.setCacheDisabled", {"cacheDisabled": True})
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
        key_at, first_at = page.evaluate("[window.__keyAt, window.__firstAt]")
        files = page.evaluate(TRANSFERRED)
    finally:
        page.close()
    search_files = [f for f in files if "/pagefind/" in f[0] or "/search/" in f[0]]
    return {
        "ms": first_at - key_at,
        "bytes": sum(f[1] for f in files),
        "search_bytes": sum(f[1] for f in search_files),
        "gzip_bytes": sum(gzip_size(site, f[0]) for f in files),
        "requests": len(files),
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
    browser = Browser(binary)
    try:
        with serve(site) as base:
            for _ in range(runs):
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
