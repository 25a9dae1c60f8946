"""What one `briefing build` leaves for the next: the sheets it checked, the pages it
rendered and what each read.

A build renders every page; the live preview already renders again only the pages whose
reads of the checked corpus have different answers (briefing.web.render.RenderMemo,
briefing.check.reads), but it compares against the corpus it holds in memory, which a new
build process does not have. So the build keeps its RenderMemo on disk: the corpus it was
checked against (sheets, indexes, source texts, each page's data block), every page's
template, reads and Markdown. The next build loads it and hands it to the render, which then
computes only the contexts whose reads changed. Contexts are not kept: a page whose reads
changed is always rendered again. The same goes for each sheet's annotations (its page's
JSON-LD block and its items in annotations.jsonld: briefing.data.annotations), which pages
read. And the check reuses the loaded and validated sheets whose files have the same bytes
(briefing.check.memo.SheetMemo), which are then the very objects the kept corpus holds, so
comparing them with it costs nothing.

The file is kept under a key that covers everything else a page's Markdown depends on: the
bytes of every file under templates/ and of briefing's own code, and the versions of Python,
Jinja2, MarkupSafe and PyYAML. Any other key, a file that cannot be read or a pickle that
does not load is an empty memo: every page is rendered, as in a cold build. The memo is
written right after the render, atomically, whatever the build does next: what it describes
(Markdown from inputs) does not depend on the build being published. With caching off, or
above KEPT_UP_TO sheets, nothing is kept or read.

It is a pickle, read by an unpickler that accepts only briefing's own record classes, Markup
and the one function that rebuilds a read-only mapping, so that a cache folder someone else
wrote cannot make the build call anything else. See docs/security.md.
"""

from __future__ import annotations

import copyreg
import dataclasses
import enum
import hashlib
import importlib.metadata
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from markupsafe import Markup

import briefing
from briefing.check.checker import collector_paused
from briefing.check.load import KINDS
from briefing.check.memo import Loaded, SheetMemo
from briefing.check.reads import Inputs
from briefing.data.annotations import SheetAnnotations, remember, remembered
from briefing.model.vocabulary import Vocabulary
from briefing.pdf.cache import cache_root
from briefing.project import Project
from briefing.web.render import Rendered, RenderMemo

VERSION = b"briefing-between-builds 1"
FOLDER = "render"
FILE = "memo.pickle"
# Sheets up to which a build keeps its memos. At 10,000 sheets the memo is a 208 MB file, and
# the reads the render notes for it raised the cold build's peak memory (every process's PSS)
# from 1,946 to 2,151 MiB, over the 2 GiB target; loading it would cost more.
KEPT_UP_TO = 5_000
# The packages whose versions shape a page's Markdown (loading sheets, rendering templates).
PACKAGES = ("jinja2", "markupsafe", "pyyaml")


def _read_only(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """A MappingProxyType again (the corpus's indexes): pickle cannot name its class."""
    return MappingProxyType(mapping)


def _read_only_parts(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _read_only, (dict(proxy),)


def _pickler(file: BinaryIO) -> pickle.Pickler:
    """A pickler that writes a MappingProxyType as _read_only of its items."""
    pickler = pickle.Pickler(file, protocol=5)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _read_only_parts}
    return pickler


class _Unpickler(pickle.Unpickler):
    """Loads only briefing's dataclasses, named tuples and enums, Markup and _read_only."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == (__name__, "_read_only"):
            return _read_only
        if (module, name) == ("markupsafe", "Markup"):  # a str that is safe HTML
            return Markup
        if module.startswith("briefing.") and module in sys.modules:
            found = getattr(sys.modules[module], name, None)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found)
                or issubclass(found, enum.Enum)
                or (issubclass(found, tuple) and hasattr(found, "_fields"))  # a NamedTuple
            ):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a record of briefing's")


def memo_key(project: Project) -> bytes:
    """A digest of everything besides the checked corpus that a page's Markdown depends on."""
    digest = hashlib.sha256(VERSION)
    digest.update(sys.version.encode())
    for name in PACKAGES:
        try:
            digest.update(f"\0{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"\0{name} absent".encode())
    for label, folder in (
        ("code", Path(briefing.__file__).parent),
        ("templates", project.templates),
    ):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                name = path.relative_to(folder).as_posix()
                digest.update(f"\0{label}/{name}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest().encode()


def _memo_file(project: Project) -> Path | None:
    root = cache_root(project.root)
    return root / FOLDER / FILE if root is not None else None


@dataclass
class Memos:
    """What a build reuses from the previous one and keeps for the next: the sheets its check
    loaded (by file bytes) and the pages its render made."""

    sheets: SheetMemo = field(default_factory=SheetMemo)
    render: RenderMemo = field(default_factory=RenderMemo)


def recall(project: Project, files: int | None = None) -> Memos | None:
    """The previous build's memos, if they were kept under this project's key, else empty
    ones; None with caching off, or for more than KEPT_UP_TO sheet files (counted before the
    check: filling a sheet memo at 10,000 sheets, only to drop it, cost 33 MiB of peak).
    files: sheet_files(project), if the caller has counted them."""
    where = _memo_file(project)
    if where is None or (sheet_files(project) if files is None else files) > KEPT_UP_TO:
        return None
    try:
        with where.open("rb", buffering=1 << 20) as file:
            if file.readline().rstrip(b"\n") != memo_key(project):
                return Memos()
            # Unpickling makes objects and no garbage: with the collector running, its
            # collections rescanned them as they grew (0.14 s against 0.09 s at 1,000 sheets,
            # in a fresh process).
            with collector_paused():
                kept = _Unpickler(file).load()
    # A missing file, or one that is damaged, foreign or of another version (unpickling
    # raises many kinds of errors): only memos not reused.
    except Exception:
        return Memos()
    if not _well_formed(kept):
        return Memos()
    memos = Memos()
    memos.sheets.vocabulary, memos.sheets.files = kept["sheets"]
    render = memos.render
    render.pdf_links = kept["pdf_links"]
    render.environment(project.templates)  # the key covered the templates' bytes
    render.inputs, render.pages = kept["inputs"], kept["pages"]
    remember(*kept["annotations"])
    return memos


def sheet_files(project: Project) -> int:
    """How many sheet files the check will load (as it finds them: content/<kind>/*.yaml),
    counted before anything is read."""
    return sum(1 for kind in KINDS for _ in (project.content / kind).glob("*.yaml"))


def _well_formed(kept: Any) -> bool:
    """Whether kept is what keep() writes (else it was not written by this code)."""
    fields = {"sheets", "pdf_links", "inputs", "pages", "annotations"}
    if not isinstance(kept, dict) or set(kept) != fields:
        return False
    sheets, pages, annotated = kept["sheets"], kept["pages"], kept["annotations"]
    return (
        isinstance(sheets, tuple)
        and len(sheets) == 2
        and isinstance(sheets[0], Vocabulary | None)
        and isinstance(sheets[1], dict)
        and all(isinstance(k, str) and isinstance(v, Loaded) for k, v in sheets[1].items())
        and isinstance(kept["pdf_links"], bool)
        and isinstance(kept["inputs"], Inputs)
        and isinstance(pages, dict)
        and all(isinstance(k, str) and isinstance(v, Rendered) for k, v in pages.items())
        and isinstance(annotated, tuple)
        and len(annotated) == 2
        and isinstance(annotated[0], Inputs | None)
        and isinstance(annotated[1], dict)
        and all(isinstance(v, SheetAnnotations) for v in annotated[1].values())
    )


def keep(project: Project, memos: Memos, sheets: int) -> None:
    """Write memos for the next build, atomically (nothing with caching off; above
    KEPT_UP_TO sheets, the previous build's file removed). A cache that cannot be written (a
    full disk, a file where the folder would go) only costs time."""
    where = _memo_file(project)
    if where is None:
        return
    render = memos.render
    if sheets > KEPT_UP_TO or render.inputs is None:
        where.unlink(missing_ok=True)
        return
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{FILE}-", dir=where.parent)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb", buffering=1 << 20) as file:
            file.write(memo_key(project) + b"\n")
            # Not the contexts: they hold more than records, and cost more than they save.
            pages = {path: replace(page, context=None) for path, page in render.pages.items()}
            kept = {
                "sheets": (memos.sheets.vocabulary, memos.sheets.files),
                "pdf_links": render.pdf_links,
                "inputs": render.inputs,
                "pages": pages,
                "annotations": remembered(),
            }
            _pickler(file).dump(kept)
        os.replace(temporary, where)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if not isinstance(error, OSError):
            raise
