"""Shared builders: small projects in tmp_path with the real templates and site configuration."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from briefing.project import Project

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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the output"
    )


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


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project (its content, templates and mkdocs.yml) built once into tmp."""
    from briefing.pipeline import build_site

    site = tmp_path_factory.mktemp("project-site") / "site"
    build_site(Project(ROOT), site)
    return site
