"""The files of a built site (briefing.web.sitefiles): what sorted(rglob) with is_file listed,
in the same order, on a tree with the cases that differ between the two ways of listing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefing.web.sitefiles import site_files


def _by_pathlib(site: Path) -> list[str]:
    return [p.relative_to(site).as_posix() for p in sorted(site.rglob("*")) if p.is_file()]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    for name in [
        "index.html",
        "a/b.html",
        "a-c/index.html",  # '-' sorts before '/' as text, after 'a' as a part
        "a.b/x.js",
        "z/deep/er/page.html",
        ".hidden/file.txt",
        "search.json",
    ]:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x", encoding="utf-8")
    (site / "empty").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "elsewhere.html").write_text("x", encoding="utf-8")
    os.symlink(outside, site / "linked-folder")  # not entered
    os.symlink(site / "index.html", site / "linked-file.html")  # counted: a file
    os.symlink(tmp_path / "nothing", site / "broken.html")  # not a file
    return site


def test_the_same_files_in_the_same_order_as_pathlib(site: Path) -> None:
    listed = site_files(site)
    assert listed == _by_pathlib(site)
    assert listed.index("a/b.html") < listed.index("a-c/index.html")
    assert "linked-file.html" in listed and "broken.html" not in listed
    assert not any(name.startswith("linked-folder") for name in listed)


def test_a_missing_site_has_no_files(tmp_path: Path) -> None:
    assert site_files(tmp_path / "missing") == [] == _by_pathlib(tmp_path / "missing")
