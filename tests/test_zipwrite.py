"""The offline copy's zip writer: a valid archive, and the same bytes from cached members."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from briefing.web.zipwrite import MemberCache, ZipWriter, make_member

FILES = {
    "a/index.html": b"<p>" + b"words " * 500 + b"</p>",
    "b/\u00e9t\u00e9.html": "caf\u00e9".encode(),
    "doc.pdf": bytes(range(256)) * 10,
}


def digest(part: bytes) -> bytes:
    return hashlib.sha256(part).digest()


def _archive(cache: MemberCache) -> bytes:
    stream = io.BytesIO()
    writer = ZipWriter(stream)
    for name, data in FILES.items():
        key = cache.key_of(*map(digest, (name.encode(), data)))
        found = cache.get(key)
        if found is None:
            member = make_member(data, not name.endswith(".pdf"), 1)
            cache.put(key, member, [name])
        else:
            member = found[0]
        writer.add(name, member)
    writer.close()
    return stream.getvalue()


def test_the_archive_reads_back_with_zipfile(tmp_path: Path) -> None:
    data = _archive(MemberCache(None))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {name: archive.read(name) for name in archive.namelist()} == FILES
        infos = archive.infolist()
        assert [info.date_time for info in infos] == [(1980, 1, 1, 0, 0, 0)] * len(FILES)
        assert {info.external_attr >> 16 for info in infos} == {0o644}
        assert [info.compress_type for info in infos] == [8, 8, 0]


def test_cached_members_give_the_same_bytes(tmp_path: Path) -> None:
    cold = _archive(MemberCache(None))
    first = MemberCache(tmp_path)
    assert _archive(first) == cold
    first.save()
    again = MemberCache(tmp_path)
    assert len(again.old) == len(FILES)  # every member from the pack
    assert _archive(again) == cold
    key = again.key_of(digest(b"doc.pdf"), digest(FILES["doc.pdf"]))
    assert again.get(key) is not None and again.get(key)[1] == ["doc.pdf"]  # type: ignore[index]


def test_a_damaged_pack_is_ignored(tmp_path: Path) -> None:
    cache = MemberCache(tmp_path)
    _archive(cache)
    cache.save()
    pack = tmp_path / "members.pack"
    pack.write_bytes(pack.read_bytes()[:-3])
    assert MemberCache(tmp_path).old == {}


def test_without_a_folder_nothing_is_kept() -> None:
    """A build without a cache writes the zip as it goes, holding no member after it."""
    members = MemberCache(None)
    key = MemberCache.key_of(digest(b"page"))
    members.put(key, make_member(b"<p>page</p>", True, 1), ["page/", "Page", "", 1.0])
    assert members.get(key) is None and members.new == {}
    members.save()  # nothing to write, and nowhere
