"""The context signature of a warm build: a hash of everything but its own Markdown that a
page's HTML depends on. What it covers, and why, is in briefing.web.reuse, which compares it
with the previous build's before copying any page."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import StructureItem
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

# The packages whose versions shape a page's HTML.
PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "markdown",
    "pymdown-extensions",
    "jinja2",
    "markupsafe",
    "pygments",
    "babel",
)
ENGINE_CODE = Path(__file__).parent


def sha256(data: bytes) -> str:
    """The hex SHA-256 of data."""
    return hashlib.sha256(data).hexdigest()


def _versions() -> list[str]:
    found = [f"python={platform.python_version()}"]
    for name in PACKAGES:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=absent")
    return found


def _plain_config(config: MkDocsConfig) -> list[str]:
    """The configuration's values that are plain data, one 'key=json' line each."""
    lines = []
    for key in sorted(config):
        if key == "site_dir":  # the build's own staging folder: no part of any page
            continue
        try:
            lines.append(f"{key}={json.dumps(config[key], sort_keys=True)}")
        except (TypeError, ValueError):  # objects (the theme, the plugins): covered elsewhere
            continue
    return lines


def _nav_items(items: list[StructureItem], sources: dict[str, str]) -> list[str]:
    lines = []
    for item in items:
        if isinstance(item, Section):
            lines.append(f"section {item.title!r} [")
            lines.extend(_nav_items(item.children, sources))
            lines.append("]")
        elif isinstance(item, Link):
            lines.append(f"link {item.title!r} {item.url!r}")
        elif isinstance(item, Page):
            title = item.__dict__.get("title")  # configured in the nav; else from Markdown
            shown = repr(title) if title is not None else sources.get(item.file.src_uri, "")
            lines.append(f"page {shown} {item.file.url!r}")
    return lines


def context_signature(
    config: MkDocsConfig, files: Files, nav: Navigation, sources: dict[str, str], version: str
) -> str:
    """A hash of everything but its own Markdown that a page's HTML depends on (see above).

    sources: every page's Markdown hash, by src_uri; version: the caller's, which it covers.
    """
    # The build date (SOURCE_DATE_EPOCH's, else today's): pages carry it as update_date.
    parts = [version, f"date={get_build_date()}", *_versions()]
    for code in sorted(ENGINE_CODE.glob("*.py")):
        parts.append(f"{code.name}:{sha256(code.read_bytes())}")
    parts.append(sha256(Path(config.config_file_path).read_bytes()))
    parts.extend(_plain_config(config))
    for file in sorted(files, key=lambda f: f.src_uri):
        if file.generated_by is None:
            parts.append(f"{file.src_uri}>{file.dest_uri}:{sha256(file.content_bytes)}")
    custom = config.theme.custom_dir
    if custom and Path(custom).is_dir():
        for path in sorted(Path(custom).rglob("*")):
            if path.is_file():
                parts.append(f"theme {path.relative_to(custom).as_posix()}:{_file_hash(path)}")
    parts.extend(_nav_items(nav.items, sources))
    return sha256("\n".join(parts).encode("utf-8"))


def _file_hash(path: Path) -> str:
    return sha256(path.read_bytes())
