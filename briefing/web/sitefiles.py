"""The files of a built site, listed with os.scandir (briefing.check.load.entries).

A build lists its staged site three times at its end: for the offline zip, the safety scan
and the search index's parts. pathlib's rglob, relative_to and is_file took 0.09 s for each
at 1,000 sheets (2,300 files), where os.scandir knows each entry's type from the listing
(0.01 s). The same entries are listed: folders that are symbolic links are not entered, as
rglob does not enter them, and a link to a file counts as the file, as is_file says.

The offline zip and the search index's parts also key their caches by each page's SHA-256.
The pages a build copied or wrote already have one (briefing.web.reuse), taken with the
file's stamp: known_digest gives it while the file keeps that stamp, so those steps read
only the pages whose stored member or part changed (0.06 s each at 1,000 sheets).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from briefing.check.load import entries

Stamp = tuple[int, int, int]
# Site-relative path -> the file's stamp and the SHA-256 digest of its bytes at that stamp.
Digests = Mapping[str, tuple[Stamp, bytes]]
NONE_KNOWN: Digests = MappingProxyType({})


def stamp(path: Path | str) -> Stamp:
    """A file's size, modification time and inode: changed by any rewrite (a file replaced
    gets a new inode; one written over, a new time or size)."""
    status = os.stat(path)
    return status.st_size, status.st_mtime_ns, status.st_ino


def known_digest(site: Path, name: str, known: Digests) -> bytes | None:
    """The SHA-256 digest of site/name's bytes, if known for the file as it is now."""
    found = known.get(name)
    if found is None:
        return None
    try:
        return found[1] if stamp(site / name) == found[0] else None
    except OSError:
        return None


def site_files(site: Path) -> list[str]:
    """The site-relative paths ('a/b.html') of the files under site, sorted by their parts
    in turn, as sorted(site.rglob('*')) orders them; none if site is not a folder."""
    if not site.is_dir():
        return []
    listed = sorted(entries(site), key=lambda found: found[0])
    return ["/".join(parts) for parts, entry in listed if entry.is_file()]


def link_or_copy(source: str, target: str) -> bool:
    """A hard link at target to the file source (no bytes copied), or, where the file system
    cannot link (another file system), a copy without its times and mode; whether it is a
    link. (Also copytree's copy_function, which ignores what it returns.)"""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
        return False
    return True
