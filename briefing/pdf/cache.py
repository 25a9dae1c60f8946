"""PDFs laid out once per content: a cache of finished PDFs, keyed by everything that shapes one.

A PDF's key is a SHA-256 of its HTML (which holds every value it prints and the
SOURCE_DATE_EPOCH date) and of what the whole build shares: the stylesheet with its paper
size, every file beside the print templates (what the URL fetcher may serve), the font files
fontconfig can choose from (path, size, modification time), the print engine and the versions
that shape its output: WeasyPrint, pydyf, fontTools, tinycss2, cssselect2, Pango and HarfBuzz
(and whether libharfbuzz-subset is there), or typst (the compiler and its own fonts). The
environment notices of the build that laid a PDF out are kept with it and printed again when
it is reused. Layout is deterministic (layout.py), so a
cached PDF is byte for byte the one a cold build would write.

The cache lives outside site/: `.cache/briefing/pdf/` in the project by default, or the
folder BRIEFING_CACHE names (`off` turns it off). CI can keep that folder between runs.
Entries are written atomically, so two builds may share a folder; nothing is ever deleted
(`rm -rf .cache/briefing` empties it).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CACHE_ENV = "BRIEFING_CACHE"
DEFAULT_FOLDER = Path(".cache") / "briefing"
# The packages whose versions shape a PDF's bytes, by print engine.
ENGINE_PACKAGES = {
    "weasyprint": ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2"),
    "typst": ("typst",),  # its wheel carries the compiler and its own fonts
}


def cache_root(project_root: Path) -> Path | None:
    """The cache folder of a project: BRIEFING_CACHE, else .cache/briefing; None when 'off'."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured.lower() == "off":
        return None
    return Path(configured) if configured else project_root / DEFAULT_FOLDER


def _versions(engine: str) -> list[str]:
    found = [f"engine={engine}"]
    for name in ENGINE_PACKAGES[engine]:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=absent")
    return found + (library_versions() if engine == "weasyprint" else [])


# The shared libraries WeasyPrint lays out with, by soname, then as find_library names them.
_PANGO = ("libpango-1.0.so.0", "pango-1.0")
_HARFBUZZ = ("libharfbuzz.so.0", "harfbuzz")
_HARFBUZZ_SUBSET = ("libharfbuzz-subset.so.0", "harfbuzz-subset")


def library_versions() -> list[str]:
    """Pango's and HarfBuzz's versions, and whether libharfbuzz-subset is there, read from
    the libraries themselves. Not through weasyprint.text.ffi: importing it imports all of
    WeasyPrint (0.8 s of CPU), which a build whose PDFs all come from the cache never uses."""
    from cffi import FFI

    ffi = FFI()
    ffi.cdef("int pango_version (void); const char *hb_version_string (void);")

    def opened(names: tuple[str, ...]) -> Any:
        for name in names:
            try:
                return ffi.dlopen(name)
            except OSError:
                continue
        return None

    pango, harfbuzz = opened(_PANGO), opened(_HARFBUZZ)
    if pango is None or harfbuzz is None:
        return ["pango=absent"]
    return [
        f"pango={pango.pango_version()}",
        f"harfbuzz={ffi.string(harfbuzz.hb_version_string()).decode()}",
        # Without libharfbuzz-subset, fonts are subset by fontTools: other bytes.
        f"harfbuzz-subset={opened(_HARFBUZZ_SUBSET) is not None}",
    ]


def _font_files() -> list[str]:
    """Every font file fontconfig knows, with its size and modification time."""
    listed = ""
    if shutil.which("fc-list"):
        listed = subprocess.run(
            ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=False
        ).stdout
    files = []
    for name in sorted(set(listed.split("\n")) - {""}):
        try:
            stat = os.stat(name)
        except OSError:
            continue
        files.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return files


def _folder_files(folder: Path) -> list[str]:
    """Each file under folder with a hash of its bytes, sorted by path."""
    if not folder.is_dir():
        return []
    return [
        f"{path.relative_to(folder).as_posix()}:{hashlib.sha256(path.read_bytes()).hexdigest()}"
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    ]


def shared_key(engine: str, style: str, print_folder: Path, date: str | None) -> str:
    """The part of every PDF's key that the whole build shares; style: the engine's
    stylesheet with the paper size."""
    parts = [
        "briefing-pdf-cache 1",
        f"date={date}",
        *_versions(engine),
        *_font_files(),
        *_folder_files(print_folder),
        style,
    ]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PdfCache:
    """Finished PDFs by key, in folder (created on the first write)."""

    folder: Path
    shared: str  # shared_key() of this build

    def key(self, html: str) -> str:
        digest = hashlib.sha256(self.shared.encode("ascii"))
        digest.update(html.encode("utf-8"))
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pdf"

    def get(self, html: str) -> tuple[bytes, int, tuple[str, ...]] | None:
        """The PDF, its page count and its notices for this HTML, if laid out before."""
        path = self._path(self.key(html))
        try:
            meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            notices = tuple(str(n) for n in meta.get("notices", ()))
            return path.read_bytes(), int(meta["pages"]), notices
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, html: str, data: bytes, pages: int, notices: tuple[str, ...] = ()) -> None:
        """Keep a PDF for this HTML; a cache that cannot be written is skipped, not an error."""
        path = self._path(self.key(html))
        meta = json.dumps({"pages": pages, "notices": list(notices)}).encode("utf-8")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, data)  # the PDF first: the page count marks it complete
            write_atomically(path.with_suffix(".json"), meta)
        except OSError:
            return


def write_atomically(path: Path, data: bytes) -> None:
    """Write data to path through a temporary file beside it, so no reader sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
