"""A small deterministic zip writer that can take a member already compressed.

Python's zipfile compresses every member it writes; the offline copy (briefing.web.offline)
holds the whole site, and a warm build changes a few of its files. So the members are
written here: each one's deflated bytes, CRC and size can come from a cache kept beside the
PDF cache (MemberCache, keyed by the member's name and a hash of what goes into it), and
everything else in the archive (fixed time, Unix mode 0644, no extra fields, sorted by the
caller) is the same whichever way a member was made: a warm build writes a cold build's
bytes. No ZIP64: an archive past 4 GiB or 65,535 members is refused.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from briefing.pdf.cache import write_atomically

# 1980-01-01 00:00:00, the earliest a zip can store, in MS-DOS form.
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_MODE = 0o644 << 16
_MADE_BY = (3 << 8) | 20  # Unix, zip 2.0
_NEEDED = 20
_UTF8 = 0x800
STORED, DEFLATED = 0, 8
_LIMIT = 0xFFFFFFFF


@dataclass(frozen=True)
class Member:
    """One member as it is stored: method, CRC-32, uncompressed size and stored bytes."""

    method: int
    crc: int
    size: int
    data: bytes


def make_member(data: bytes, compress: bool, level: int) -> Member:
    """A member of data, deflated (raw, as zip stores it) at level, or stored."""
    if compress:
        deflate = zlib.compressobj(level, zlib.DEFLATED, -15)
        packed = deflate.compress(data) + deflate.flush()
        return Member(DEFLATED, zlib.crc32(data), len(data), packed)
    return Member(STORED, zlib.crc32(data), len(data), data)


class ZipWriter:
    """Writes members in the order given, then the central directory on close()."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.offset = 0
        self.central: list[bytes] = []

    def add(self, name: str, member: Member) -> None:
        """Append one member under name."""
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else _UTF8
        if max(member.size, len(member.data), self.offset) > _LIMIT:
            raise ValueError(f"{name}: the archive would need ZIP64")
        fields = (member.method, _DOS_TIME, _DOS_DATE, member.crc, len(member.data), member.size)
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, _NEEDED, flags, *fields, len(encoded), 0)
        self.central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                _MADE_BY,
                _NEEDED,
                flags,
                *fields,
                len(encoded),
                0,
                0,
                0,
                0,
                _MODE,
                self.offset,
            )
            + encoded
        )
        self.stream.write(header + encoded)
        self.stream.write(member.data)
        self.offset += len(header) + len(encoded) + len(member.data)

    def close(self) -> None:
        """Write the central directory and its end record."""
        if len(self.central) > 0xFFFF:
            raise ValueError("the archive would need ZIP64: too many members")
        directory = b"".join(self.central)
        self.stream.write(directory)
        count = len(self.central)
        end = (0x06054B50, 0, 0, count, count, len(directory), self.offset, 0)
        self.stream.write(struct.pack("<IHHHHIIH", *end))


PACK = "members.pack"


class MemberCache:
    """Compressed members by key (a hash of name, options and content), in folder: one file
    (the index's length, the index as JSON, the members' bytes), replaced whole by save(),
    which keeps only this build's members."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.old: dict[str, list[object]] = {}
        self.blob = b""
        self.new: dict[str, tuple[Member, object]] = {}
        if folder is None:
            return
        try:
            pack = (folder / PACK).read_bytes()
            (length,) = struct.unpack_from("<Q", pack)
            index = json.loads(pack[8 : 8 + length])
        except (OSError, ValueError, struct.error):
            return
        blob = pack[8 + length :]
        if isinstance(index, dict) and index.get("size") == len(blob):
            self.old, self.blob = index.get("members", {}), blob

    @staticmethod
    def key_of(*digests: bytes) -> str:
        """The key of a member made from parts with these SHA-256 digests."""
        return hashlib.sha256(b"".join(digests)).hexdigest()

    def get(self, key: str) -> tuple[Member, object] | None:
        """The member and the caller's note kept under key, if any."""
        if key in self.new:
            return self.new[key]
        found = self.old.get(key)
        if found is None:
            return None
        try:
            method, crc, size, start, length, note = found
            data = self.blob[int(start) : int(start) + int(length)]  # type: ignore[call-overload]
            member = Member(int(method), int(crc), int(size), data)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return None
        if len(data) != length:
            return None
        self.new[key] = (member, note)
        return member, note

    def put(self, key: str, member: Member, note: object) -> None:
        """Keep a member and a JSON-able note under key (nothing without a folder: a zip
        of a large site would be held in memory whole, for no next build)."""
        if self.folder is not None:
            self.new[key] = (member, note)

    def save(self) -> None:
        """Replace the folder's members with this build's; a failure only costs time."""
        if self.folder is None:
            return
        members: dict[str, list[object]] = {}
        parts: list[bytes] = []
        at = 0
        for key, (member, note) in sorted(self.new.items()):
            members[key] = [member.method, member.crc, member.size, at, len(member.data), note]
            parts.append(member.data)
            at += len(member.data)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            index = json.dumps({"size": at, "members": members}).encode("utf-8")
            pack = b"".join([struct.pack("<Q", len(index)), index, *parts])
            write_atomically(self.folder / PACK, pack)
        except OSError:
            return
