"""The files of a built site, listed with os.scandir (briefing.check.load.entries).

A build lists its staged site three times at its end: for the offline zip, the safety scan
and the search index's parts. pathlib's rglob, relative_to and is_file took 0.09 s for each
at 1,000 sheets (2,300 files), where os.scandir knows each entry's type from the listing
(0.01 s). The same entries are listed: folders that are symbolic links are not entered, as
rglob does not enter them, and a link to a file counts as the file, as is_file says.
"""

from __future__ import annotations

from pathlib import Path

from briefing.check.load import entries


def site_files(site: Path) -> list[str]:
    """The site-relative paths ('a/b.html') of the files under site, sorted by their parts
    in turn, as sorted(site.rglob('*')) orders them; none if site is not a folder."""
    if not site.is_dir():
        return []
    listed = sorted(entries(site), key=lambda found: found[0])
    return ["/".join(parts) for parts, entry in listed if entry.is_file()]
