"""Pagefind's index in parts, so that a build indexes again only the part whose pages changed.

Pagefind has no incremental mode: a build after a one-sentence edit paid for indexing every
page (1.4 s of a 3.8 s warm build at 1,000 sheets). So the site gets one index per sheet
kind's folder (actors/, events/, ...: pagefind/actors/ and so on) and a primary index of
every other page (pagefind/, whose pagefind.js the search box loads and which merges the
others, listed in pagefind/shards.json; templates/theme/.../briefing-search.js).

Each part is Pagefind's index of a folder holding only that part's pages, linked from the
staged site under the same paths, so its URLs are the site's. What it writes depends only
on those pages' bytes, their paths, Pagefind's version and its options: the cache
(`.cache/briefing/pagefind/`, briefing.pdf.cache.cache_root) keeps each part under a hash
of all of them, and a part whose pages are unchanged is copied from it, the same bytes
Pagefind would write. An edit to one actor's statement changes its page and its source's:
two parts are indexed again. A kind of up to 400 pages is itself in parts of about 50
(plan), so that those two parts are small.

A part goes from the cache into the site, and from Pagefind's output into the cache, as hard
links where the file system allows (copies elsewhere): at 1,000 sheets copying the eleven
unchanged parts' 1,300 files took the index's thread about 0.13 s of a build after an edit,
before it could start the last changed part. Nothing writes to a bundle's file in place:
the site's folder is replaced whole when published, and a cached part is replaced by
renaming a fresh folder over it (_keep), so a file shared by both never changes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from briefing.forked import stops_taken
from briefing.present.links import FOLDERS
from briefing.web.sitefiles import NONE_KNOWN, Digests, known_digest, link_or_copy, site_files

# Where the primary index goes, relative to the site root; the parts go in folders under it.
OUTPUT = "pagefind"
# In OUTPUT: the folders (under OUTPUT) of the parts the search box merges, as a JSON list.
SHARDS_FILE = "shards.json"
KEY_FILE = "key"
# A kind's pages are indexed in parts of about PART_PAGES pages: Pagefind costs 2.5 ms of
# CPU an actor's page, 4 ms a source's and 0.015 s a run, and a build after an edit indexes
# again only the parts whose pages changed (the edited sheet's and its source's: at 1,000
# sheets, 0.5 s of CPU in parts of about 100 pages, 0.23 s in parts of about 50). But a
# search loads, from every part, its metadata and the index chunks of the query's words: at
# 1,000 sheets, 24 parts of about 50 pages meant 1,092 KB before the first result, 14 parts of
# about 100, 900 KB; each part added about 50 KB at 10,000 sheets. So a kind is split only
# while MOST_PARTS parts hold it (up to 400 pages); a larger kind is one part, which keeps a
# search at 10,000 sheets under 1.5 MB (docs/performance.md, fifth and tenth rounds).
PART_PAGES = 50
MOST_PARTS = 8


@dataclass(frozen=True)
class Shard:
    """One part of the index: its name ('' for the primary) and the pages it indexes."""

    name: str
    pages: tuple[str, ...]  # site-relative paths of HTML files, sorted

    @property
    def output(self) -> str:
        """Where it is written, relative to the site root."""
        return f"{OUTPUT}/{self.name}" if self.name else OUTPUT


def plan(site: Path) -> list[Shard]:
    """The primary part, then each sheet kind's folder: in one part for every PART_PAGES
    pages or fewer ('actors-1', 'actors-2' ...: by a hash of the path, so about as many in
    each) while that makes at most MOST_PARTS, else in one part named after it ('actors')."""
    kinds = sorted(FOLDERS.values())
    pages: dict[str, list[str]] = {name: [] for name in ["", *kinds]}
    for shown in site_files(site):
        if not shown.endswith(".html"):
            continue
        top = shown.split("/", 1)[0]
        if top == OUTPUT:
            continue
        pages[top if top in kinds and "/" in shown else ""].append(shown)
    parts = [Shard("", tuple(pages[""]))]
    for kind in kinds:
        count = -(-len(pages[kind]) // PART_PAGES)
        if count == 1 or count > MOST_PARTS:
            parts.append(Shard(kind, tuple(pages[kind])))
            continue
        buckets: list[list[str]] = [[] for _ in range(count)]
        for page in pages[kind]:
            buckets[_bucket(page, count)].append(page)
        parts += [
            Shard(f"{kind}-{number}", tuple(bucket))
            for number, bucket in enumerate(buckets, 1)
            if bucket
        ]
    return parts


def _bucket(page: str, count: int) -> int:
    """Which of count parts a page goes in: by a hash of its path, so that it stays there
    as sheets come and go (until its kind's number of parts changes)."""
    return int.from_bytes(hashlib.sha256(page.encode("utf-8")).digest()[:8], "big") % count


def is_part_folder(name: str) -> bool:
    """Whether a folder in the primary part's is another part's (see plan)."""
    kind, dash, number = name.partition("-")
    numbered = number.isascii() and number.isdigit() and not number.startswith("0")
    return kind in FOLDERS.values() and (numbered if dash else True)


def shard_key(site: Path, shard: Shard, recipe: Sequence[str], known: Digests = NONE_KNOWN) -> str:
    """A hash of what shapes a part's index: the recipe (Pagefind's version and options),
    its name, and each page's path and bytes (their digest, from known where it holds it)."""
    digest = hashlib.sha256("\0".join([*recipe, shard.name]).encode("utf-8"))
    for page in shard.pages:
        digest.update(page.encode("utf-8") + b"\0")
        found = known_digest(site, page, known)
        digest.update(found or hashlib.sha256((site / page).read_bytes()).digest())
    return digest.hexdigest()


def _linked(site: Path, pages: Sequence[str], into: Path) -> None:
    """The pages at their own paths under into: hard links, or copies where links fail."""
    for page in pages:
        target = into / page
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(str(site / page), str(target))


class Indexer:
    """Runs Pagefind (command: the binary and its options, without --site and --output-path)
    on one part at a time, in env, from an empty working folder; stop() ends every run."""

    def __init__(
        self,
        command: Sequence[str],
        env: dict[str, str],
        cache: Path | None,  # where parts are kept between builds; None: none kept
        unused: Sequence[str] = (),  # files of Pagefind's bundle the site does not load
    ) -> None:
        self.command, self.env, self.cache, self.unused = list(command), env, cache, unused
        self._running: set[subprocess.Popen[bytes]] = set()
        self._stopped = False
        self._lock = threading.Lock()

    def index(self, site: Path, into: Path, work: Path, shard: Shard, key: str) -> str | None:
        """Write shard's index of the pages of site into into/ (at shard.output), with its
        scratch files in work/; an error message, or None."""
        out = into / shard.output
        kept = self.cache / (shard.name or "_primary") if self.cache is not None else None
        if kept is not None and _read(kept / KEY_FILE) == key:
            shutil.copytree(kept / "index", out, copy_function=link_or_copy, dirs_exist_ok=True)
            return None
        with tempfile.TemporaryDirectory(prefix="part-", dir=work) as folder:
            pages, cwd = Path(folder) / "pages", Path(folder) / "cwd"
            cwd.mkdir()
            _linked(site, shard.pages, pages)
            command = [*self.command, "--site", str(pages), "--output-path", str(out)]
            code, said = self._run(command, cwd, Path(folder))
        if code != 0:
            return f"error: Pagefind could not index {site}: " + " / ".join(said[-5:])
        for name in self.unused:
            (out / name).unlink(missing_ok=True)
        if kept is not None:
            _keep(out, kept, key)
        return None

    def _run(self, command: list[str], cwd: Path, folder: Path) -> tuple[int, list[str]]:
        """Run one Pagefind, its output to files (a pipe nobody reads could stall it)."""
        with (folder / "out").open("wb") as out:
            with self._lock:
                if self._stopped:
                    return 1, ["stopped"]
                # This thread holds stops (Indexing); Pagefind must not inherit that.
                with stops_taken():
                    process = subprocess.Popen(
                        command,
                        cwd=cwd,
                        env=self.env,
                        stdin=subprocess.DEVNULL,
                        stdout=out,
                        stderr=out,
                    )
                self._running.add(process)
            code = process.wait()
            with self._lock:
                self._running.discard(process)
        said = (folder / "out").read_bytes().decode("utf-8", errors="replace")
        return code, said.strip().splitlines()

    def stop(self) -> None:
        """Kill the runs under way (and reap them); start no other."""
        with self._lock:
            self._stopped = True
            running = list(self._running)
        for process in running:
            if process.poll() is None:
                process.kill()
            process.wait()


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _keep(out: Path, kept: Path, key: str) -> None:
    """Replace the cached copy of a part with out (only its own files, not nested parts);
    a cache that cannot be written only costs the next build time."""
    try:
        fresh = Path(tempfile.mkdtemp(prefix=".tmp-", dir=kept.parent.resolve()))
    except OSError:
        return
    try:
        shutil.copytree(out, fresh / "index", ignore=_nested(out), copy_function=link_or_copy)
        (fresh / KEY_FILE).write_text(key, encoding="utf-8")
        shutil.rmtree(kept, ignore_errors=True)
        fresh.rename(kept)
    except OSError:
        shutil.rmtree(fresh, ignore_errors=True)


def _nested(out: Path) -> Callable[[str, list[str]], list[str]]:
    """copytree's ignore: the other parts' folders inside the primary one."""

    def ignore(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if Path(folder) == out and is_part_folder(n)]

    return ignore


def _forget_other_parts(cache: Path, shards: Sequence[Shard]) -> None:
    """Remove the kept parts this site no longer has (a kind now split, or whole again)."""
    current = {shard.name for shard in shards if shard.name}
    try:
        stale = [e for e in cache.iterdir() if is_part_folder(e.name) and e.name not in current]
    except OSError:
        return
    for entry in stale:
        shutil.rmtree(entry, ignore_errors=True)


def index_parts(
    site: Path,
    into: Path,
    work: Path,
    indexer: Indexer,
    version: str,
    jobs: int,
    known: Digests = NONE_KNOWN,
) -> list[str]:
    """Index every part of site into into/ (jobs at a time, scratch files in work/) and list
    the merged ones in into/pagefind/SHARDS_FILE; version: Pagefind's, which with its options
    (indexer.command) shapes every part; known: pages' digests (sitefiles.known_digest).
    Error messages, or []."""
    shards = plan(site)
    if indexer.cache is not None:
        try:
            indexer.cache.mkdir(parents=True, exist_ok=True)
        except OSError:
            indexer.cache = None
    recipe = [version, *indexer.command[1:]]
    keys = [shard_key(site, shard, recipe, known) for shard in shards]
    n = len(shards)
    with ThreadPoolExecutor(max(1, jobs)) as pool:
        try:
            said = list(pool.map(indexer.index, [site] * n, [into] * n, [work] * n, shards, keys))
        except BaseException:  # an interrupt: no Pagefind is left running, none starts
            indexer.stop()
            raise
    errors = [message for message in said if message is not None]
    if errors:
        return errors[:1]
    if indexer.cache is not None:
        _forget_other_parts(indexer.cache, shards)
    merged = [shard.name for shard in shards if shard.name]
    (into / OUTPUT / SHARDS_FILE).write_text(json.dumps(merged) + "\n", encoding="utf-8")
    return []
