"""Builders and readers the tests share: small projects in tmp_path, folder snapshots, YAML.

Imported as `from tests.helpers import ...`; conftest.py keeps only pytest hooks and fixtures.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

import yaml

from briefing.check.yamltree import Mapping, Node, Scalar
from briefing.project import Project
from briefing.publish import temporary_names

ROOT = Path(__file__).resolve().parents[1]

SOURCE_TEXT = (
    "Trade between China and Russia reached a record $240 billion last year.\n"
    "Ukrainian officials believe the troops are preparing to join the invading forces.\n"
    "A wider war in the Middle East could puncture energy markets.\n"
)
BASE_FILES = {
    "content/sources/article.txt": SOURCE_TEXT,
    "content/sources/article.yaml": """\
        id: article
        title: An article
        summary: A test source.
        text: article.txt
        """,
    "content/actors/china.yaml": """\
        id: china
        name: China
        type: state
        aliases: [Beijing]
        summary: A state.
        statements:
          - id: trade
            text: Trade between China and Russia reached a record $240 billion last year.
            kind: reported
            source: article
            quote: Trade between China and Russia reached a record $240 billion last year.
        """,
    "content/actors/russia.yaml": """\
        id: russia
        name: Russia
        type: state
        summary: Trades with [[china]].
        """,
}


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    """Write files under root; str values are dedented, bytes written as they are."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")


def make_corpus(
    tmp_path: Path, files: dict[str, str | bytes] | None = None, base: bool = True
) -> Project:
    """A project in tmp_path: the real mkdocs.yml, templates and docs, and the given content.

    With base=True a small valid corpus (a source, China, Russia) is written first, so a
    test only writes the sheet it is about; files may overwrite or add to it.
    """
    root = tmp_path / "project"
    root.mkdir()
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    hook = (ROOT / "briefing" / "web" / "hook.py").as_posix()
    (root / "mkdocs.yml").write_text(
        config.replace("briefing/web/hook.py", hook).replace("  - briefing\n", ""),
        encoding="utf-8",
    )
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "docs", root / "docs")
    (root / "content").mkdir()
    write_files(root, {**(BASE_FILES if base else {}), **(files or {})})
    return Project(root)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path, with its bytes; {} if there is no folder."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(root: Path) -> list[str]:
    """Temporary folders of the publishing step (site and PDFs) anywhere under root."""
    patterns = [*temporary_names("site"), *temporary_names("pdf")]
    return sorted(str(p.relative_to(root)) for pattern in patterns for p in root.rglob(pattern))


def instance(node: Node) -> Any:
    """A loaded node as the JSON a schema validates: text stays text, an empty value is null."""
    if isinstance(node, Mapping):
        return {entry.key: instance(entry.value) for entry in node.entries}
    if isinstance(node, Scalar):
        return node.text if node.text.strip() else None
    return [instance(item) for item in node.items]


def read_yaml(path: Path) -> Any:
    """YAML with every scalar as text, so the key 'on' stays 'on'."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def steps(workflow: Any) -> list[dict[str, Any]]:
    """Every step of every job of a workflow read by read_yaml."""
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def step_using(workflow: Any, action: str) -> dict[str, Any]:
    """The first step that uses the given action (owner/name, any pinned version)."""
    return next(s for s in steps(workflow) if s.get("uses", "").startswith(action + "@"))


def indexed_heading(page_html: str) -> tuple[str, dict[str, str]] | None:
    """What Pagefind takes from a built page: the text and attributes of the first <h1> inside
    data-pagefind-body, or None if the page is left out of search."""
    import html
    import re

    at = page_html.find("data-pagefind-body")
    if at < 0:
        return None
    heading = re.search(r"<h1\b([^>]*)>(.*?)</h1>", page_html[at:], re.DOTALL)
    assert heading is not None
    attributes = dict(re.findall(r'([a-z-]+)="([^"]*)"', heading.group(1)))
    text = html.unescape(re.sub(r"<[^>]*>", "", heading.group(2))).replace("\u00b6", "")
    return " ".join(text.split()), attributes


def indexed_page_count(site: Path) -> int:
    """How many pages the site's search index holds: its primary part's and those of the
    parts it merges (pagefind/shards.json, briefing.web.shards)."""
    parts = ["", *json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8"))]
    total = 0
    for part in parts:
        entry = site / "pagefind" / part / "pagefind-entry.json"
        total += json.loads(entry.read_text(encoding="utf-8"))["languages"]["en"]["page_count"]
    return total


def counting_compiles(env: Any) -> list[int]:
    """Count the templates a Jinja environment compiles from now on: a one-item list, so
    that the count can be read after rendering."""
    count = [0]
    compile_source = env.compile

    def counting(*args: Any, **kwargs: Any) -> Any:
        count[0] += 1
        return compile_source(*args, **kwargs)

    env.compile = counting
    return count
