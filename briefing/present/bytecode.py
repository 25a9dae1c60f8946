"""Compiled Jinja templates kept for later processes (Jinja's bytecode cache).

Each build makes new Jinja environments, MkDocs' for the theme and briefing's own for
templates/, and each compiled every template it used again: 0.1 s of the theme's and 14 of
briefing's own in a build after an edit at 1,000 sheets, and the PDF process's print
templates too. The bytecode is kept in memory and in a folder of the Python environment
briefing runs in, which is trusted as its code is (the bytecode is code), not in the
project's cache. Jinja compiles a template again when its source changes (the bytecode
holds a checksum of it); what else shapes the code, the versions and the environment's
settings, names the folder.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import sys
import tempfile
from pathlib import Path

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja bytecode kept in a dict, and in folder for later processes (when given and
    writable); Jinja recompiles a template whose source changed (the bytecode holds a
    checksum of it), and so does this cache a file it cannot read back."""

    def __init__(self, folder: Path | None = None) -> None:
        self.stored: dict[str, bytes] = {}
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.stored.get(bucket.key)
        if data is None and self.folder is not None:
            try:
                data = (self.folder / bucket.key).read_bytes()
            except OSError:
                return
        if data is not None:
            try:
                bucket.bytecode_from_string(data)
            except Exception:  # a damaged file (its checksum is a pickle): compile again
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.stored[bucket.key] = bucket.bytecode_to_string()
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{bucket.key}-", dir=self.folder)
        except OSError:  # not writable: this process keeps it in memory only
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, self.folder / bucket.key)
        except OSError:
            Path(temporary).unlink(missing_ok=True)


class NamedBytecodeCache(MemoryBytecodeCache):
    """Bytecode kept by template name alone, not by name and file path: a project's own
    templates, whose folder differs from one project or test to the next, keep one file per
    name rather than one per path ever used. A template of the same name with another
    source is compiled again (the bytecode's checksum no longer matches) and replaces it."""

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name)


def bytecode_folder(*packages: str, settings: str = "") -> Path:
    """The folder for bytecode compiled under this Python, this Jinja2, the installed
    versions of packages, and settings (the environment's own, as text)."""
    versions = [f"py{sys.version_info.major}.{sys.version_info.minor}"]
    for name in ("jinja2", *packages):
        try:
            versions.append(f"{name}-{importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}-absent")
    if settings:
        versions.append(hashlib.sha256(settings.encode("utf-8")).hexdigest()[:16])
    return Path(sys.prefix) / "var" / "cache" / "briefing" / "jinja" / "_".join(versions)


def settings_of(env: jinja2.Environment) -> str:
    """What of env's configuration shapes the code it compiles, as text."""
    shaping = [
        "block_start_string",
        "block_end_string",
        "variable_start_string",
        "variable_end_string",
        "comment_start_string",
        "comment_end_string",
        "line_statement_prefix",
        "line_comment_prefix",
        "trim_blocks",
        "lstrip_blocks",
        "newline_sequence",
        "keep_trailing_newline",
        "optimized",
        "autoescape",
        "finalize",
    ]
    values = [f"{name}={_named(getattr(env, name))}" for name in shaping]
    values += [
        f"extensions={sorted(env.extensions)!r}",
        f"template_class={_named(env.template_class)}",
    ]
    return "\n".join(values)


def _named(value: object) -> str:
    """A setting as text: a function or class by its qualified name (its repr holds an
    address, another in each process), anything else by its repr."""
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '?')}.{value.__qualname__}"
    return repr(value)
