"""The corpus settings sheet, content/corpus.yaml: loaded and validated like any sheet.

Its references (the lead briefing, the order) are resolved by the link stage; a project
without the file gets the defaults (no intro, the first briefing as lead).
"""

from __future__ import annotations

from pathlib import Path

from briefing.check.load import load_file
from briefing.check.validate import INVALID, Reader
from briefing.model import records
from briefing.model.contract import SETTINGS_FIELDS, SETTINGS_FILE
from briefing.model.errors import Problem

WHAT = "corpus settings"


def load_settings(root: Path, content_dir: Path) -> tuple[records.Settings, list[Problem]]:
    """content/corpus.yaml -> Settings (the defaults if absent or invalid) and its problems."""
    path = content_dir / SETTINGS_FILE
    if path.is_symlink() or not path.is_file():  # discover reports a link
        return records.DEFAULT_SETTINGS, []
    shown = f"{content_dir.relative_to(root).as_posix()}/{SETTINGS_FILE}"
    document, problems = load_file(path, shown, "corpus")
    if document is None:
        return records.DEFAULT_SETTINGS, problems
    reader = Reader()
    settings = reader.read_object(
        SETTINGS_FIELDS, document.root, WHAT, records.Settings, path=shown
    )
    if settings is not INVALID:
        seen: dict[str, records.Ref] = {}
        for ref in settings.order:
            if ref.target in seen:
                first = seen[ref.target].loc.line
                reader.fail(
                    ref.loc, f"'{ref.target}' is listed twice in 'order' (first at line {first})"
                )
            seen.setdefault(ref.target, ref)
    if settings is INVALID or reader.problems:
        return records.DEFAULT_SETTINGS, [*problems, *reader.problems]
    return settings, problems
