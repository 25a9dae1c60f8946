"""The files of a built site (briefing.web.sitefiles): what sorted(rglob) with is_file listed,
in the same order, on a tree with the cases that differ between the two ways of listing."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from briefing.web.sitefiles import known_digest, site_files, stamp


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


def _written_over(path: Path, text: str) -> None:
    """path written over in place (same inode and size), a millisecond later."""
    before = path.stat()
    with path.open("r+", encoding="utf-8") as stream:
        stream.write(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))


@pytest.mark.parametrize(
    ("change", "known"),
    [
        ("none", True),
        ("written over, same size, new time", False),
        ("replaced by a new file with the same bytes", False),
        ("removed", False),
    ],
)
def test_a_digest_is_known_only_for_the_file_it_was_taken_from(
    tmp_path: Path, change: str, known: bool
) -> None:
    page = tmp_path / "page.html"
    page.write_text("old", encoding="utf-8")
    digests = {"page.html": (stamp(page), hashlib.sha256(b"old").digest())}
    if change.startswith("written over"):
        _written_over(page, "new")
    elif change.startswith("replaced"):
        fresh = tmp_path / "fresh.html"
        fresh.write_text("old", encoding="utf-8")
        fresh.replace(page)
    elif change == "removed":
        page.unlink()
    expected = hashlib.sha256(b"old").digest() if known else None
    assert known_digest(tmp_path, "page.html", digests) == expected
    assert known_digest(tmp_path, "other.html", digests) is None
