"""`build.py diff BASE [HEAD]`: what changed in the facts between two revisions.

Each revision's content/ is read from git (ls-tree and cat-file, so that .gitattributes
export rules cannot hide a file) into a temporary folder and taken through the load,
validate and link stages. Without HEAD the working tree is compared, as `git diff BASE`
does: what `check` sees now. Sheets are matched by id, so a file moved to another folder
is the same sheet; a sheet whose id changed is paired with the removed sheet it most
resembles and shown as renamed. Quotes are not verified here: `check` does that.
"""

from __future__ import annotations

import dataclasses
import difflib
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.check.link import iter_refs, link, resolve
from briefing.check.load import discover, load_corpus
from briefing.check.validate import validate
from briefing.model import records
from briefing.model.contract import KIND_FIELDS, STATEMENT
from briefing.model.errors import BriefingError, Loc

WORKING_TREE = "working tree"
FOLDERS = {sheet_type.kind: folder for folder, sheet_type in records.SHEET_TYPES.items()}
# A removed and an added sheet of the same kind this alike are one sheet renamed.
RENAME_SIMILARITY = 0.5

RefKey = tuple[str, str, str]  # (sheet id, statement id or '', target)


@dataclass(frozen=True)
class Snapshot:
    """One revision's content, loaded, validated and linked."""

    label: str
    sheets: dict[str, records.Sheet]
    invalid: tuple[str, ...]  # sheet files that did not load, validate or index
    invalid_ids: frozenset[str]
    refs: dict[RefKey, tuple[Loc, str | None]]  # every reference -> where, why unresolved
    problems: int


@dataclass(frozen=True)
class Change:
    """One field, old value -> new value, as display text ('' for absent)."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class StatementChange:
    """A statement kept under its id whose fields changed."""

    id: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class SheetDiff:
    """A sheet added, removed or changed; statements as field -> display text."""

    id: str
    kind: str
    path: str
    title: str
    renamed_from: str = ""
    old_path: str = ""
    fields: tuple[Change, ...] = ()
    added: tuple[dict[str, str], ...] = ()
    removed: tuple[dict[str, str], ...] = ()
    changed: tuple[StatementChange, ...] = ()


@dataclass(frozen=True)
class RefChange:
    """A reference from a sheet or statement to a target, where it is written."""

    source: str
    target: str
    where: str
    message: str = ""


@dataclass(frozen=True)
class Diff:
    """The fact-level difference between two revisions."""

    base: str
    head: str
    added: tuple[SheetDiff, ...]
    removed: tuple[SheetDiff, ...]
    changed: tuple[SheetDiff, ...]
    broken: tuple[RefChange, ...]
    created: tuple[RefChange, ...]
    dropped: tuple[RefChange, ...]
    invalid_base: tuple[str, ...]
    invalid_head: tuple[str, ...]
    problems_base: int
    problems_head: int

    def as_json(self) -> dict[str, Any]:
        """Plain data for `--json`."""
        return dataclasses.asdict(self)


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise BriefingError(
            "git is not installed; build.py diff reads revisions with git"
        ) from None
    if result.returncode != 0:
        error = result.stderr.decode("utf-8", errors="replace").strip()
        raise BriefingError(f"git {args[0]} failed: {error}")
    return result.stdout


def export_content(root: Path, revision: str, dest: Path) -> None:
    """Write the sheet and text files of content/ at a git revision under dest/content."""
    _git(root, "rev-parse", "--git-dir")  # fails clearly outside a repository
    try:
        spec = f"{revision}^{{commit}}"
        commit = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", spec)
    except BriefingError:
        raise BriefingError(
            f"unknown revision '{revision}'; name a commit, branch or tag "
            "(in a shallow clone, fetch the history first: git fetch --unshallow)"
        ) from None
    listing = _git(root, "ls-tree", "-r", "-z", commit.decode().strip(), "--", "content")
    blobs: list[tuple[bytes, str]] = []
    for entry in filter(None, listing.split(b"\0")):
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):  # no symlinks, no submodules
            blobs.append((sha, raw_path.decode("utf-8", errors="surrogateescape")))
    batch = _git(root, "cat-file", "--batch", stdin=b"".join(sha + b"\n" for sha, _ in blobs))
    offset = 0
    for _, path in blobs:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(batch[header_end + 1 : header_end + 1 + size])
        offset = header_end + 1 + size + 1


def snapshot(root: Path, label: str) -> Snapshot:
    """Load, validate and link root/content; keep sheets by id and every reference."""
    content = root / "content"
    documents, problems = load_corpus(root, content)
    sheets, invalid = validate(documents)
    found = discover(root, content)[0]
    stems = {path.stem for path, _, _ in found}
    corpus, unresolved = link(sheets, unchecked=stems)
    by_id = dict(corpus.by_id)
    refs: dict[RefKey, tuple[Loc, str | None]] = {}
    for sheet in corpus.sheets:
        for ref, statement_id in iter_refs(sheet):
            why = resolve(ref, by_id, frozenset(stems))
            refs.setdefault((sheet.id, statement_id, ref.target), (ref.loc, why))
    bad = sorted({shown for _, shown, _ in found} - {sheet.path for sheet in corpus.sheets})
    return Snapshot(
        label,
        by_id,
        tuple(bad),
        frozenset(Path(path).stem for path in bad),
        refs,
        len(problems) + len(invalid) + len(unresolved),
    )


def take(root: Path, revision: str | None) -> Snapshot:
    """A revision's snapshot; None means the working tree under root."""
    if revision is None:
        return snapshot(root, WORKING_TREE)
    with tempfile.TemporaryDirectory(prefix="briefing-diff-") as folder:
        export_content(root, revision, Path(folder))
        return snapshot(Path(folder), revision)


def show(value: Any) -> str:
    """A field's value as one line of display text; '' when absent."""
    if value is None:
        return ""
    if isinstance(value, records.Text | records.PartialDate):
        text = value.value
    elif isinstance(value, records.Ref):
        text = value.target
    elif isinstance(value, records.Figure):
        number = " ".join(filter(None, (value.value, value.unit)))
        text = f"{number}: {value.what.value}" + (f" ({value.period})" if value.period else "")
    elif isinstance(value, tuple):
        text = "; ".join(show(item) for item in value)
    elif dataclasses.is_dataclass(value):
        parts = (
            f"{f.name}: {show(getattr(value, f.name))}"
            for f in dataclasses.fields(value)
            if f.name != "loc" and show(getattr(value, f.name))
        )
        text = ", ".join(parts)
    else:
        text = str(value)
    return " ".join(text.split())


def sheet_fields(sheet: records.Sheet) -> dict[str, str]:
    """The sheet's own fields (not id, not statements) as display text, in contract order."""
    fields = KIND_FIELDS[FOLDERS[sheet.kind]]
    return {
        f.name: show(getattr(sheet, f.key)) for f in fields if f.name not in ("id", "statements")
    }


def statement_fields(statement: records.Statement) -> dict[str, str]:
    """A statement's fields as display text: id first, then those that are set."""
    shown = {f.name: show(getattr(statement, f.key)) for f in STATEMENT.fields}
    return {name: text for name, text in shown.items() if text}


def _changes(old: dict[str, str], new: dict[str, str]) -> tuple[Change, ...]:
    names = [*old, *(name for name in new if name not in old)]
    return tuple(
        Change(name, old.get(name, ""), new.get(name, ""))
        for name in names
        if old.get(name, "") != new.get(name, "")
    )


def compare_sheets(old: records.Sheet | None, new: records.Sheet | None) -> SheetDiff:
    """Field and statement changes between two versions of a sheet (None: absent)."""
    sheet = new or old
    assert sheet is not None
    before = {s.id: statement_fields(s) for s in old.statements} if old else {}
    after = {s.id: statement_fields(s) for s in new.statements} if new else {}
    fields = _changes(sheet_fields(old) if old else {}, sheet_fields(new) if new else {})
    if old is None:  # a new sheet's title heads its entry already
        title = next(f.name for f in KIND_FIELDS[FOLDERS[sheet.kind]] if f.key == "title")
        fields = tuple(change for change in fields if change.field != title)
    if old and new and old.kind != new.kind:
        fields = (Change("kind", old.kind, new.kind), *fields)
    return SheetDiff(
        id=sheet.id,
        kind=sheet.kind,
        path=sheet.path,
        title=sheet.title,
        renamed_from=old.id if old and new and old.id != new.id else "",
        old_path=old.path if old and new and old.path != new.path else "",
        fields=fields,
        added=tuple(fields for sid, fields in after.items() if sid not in before),
        removed=tuple(fields for sid, fields in before.items() if sid not in after),
        changed=tuple(
            StatementChange(sid, _changes(before[sid], fields))
            for sid, fields in after.items()
            if sid in before and before[sid] != fields
        ),
    )


def _signature(sheet: records.Sheet) -> list[str]:
    fields = [f"{name}={text}" for name, text in sheet_fields(sheet).items()]
    return fields + [f"{s.id}={show(s.quote)}" for s in sheet.statements]


def pair_renames(base: Snapshot, head: Snapshot, gone: list[str], new: list[str]) -> dict[str, str]:
    """New id -> old id for added sheets that are removed sheets under another id."""
    candidates = []
    for old_id in gone:
        for new_id in new:
            old, fresh = base.sheets[old_id], head.sheets[new_id]
            if old.kind == fresh.kind:
                ratio = difflib.SequenceMatcher(None, _signature(old), _signature(fresh)).ratio()
                if ratio >= RENAME_SIMILARITY:
                    candidates.append((-ratio, old_id, new_id))
    pairs: dict[str, str] = {}
    for _, old_id, new_id in sorted(candidates):
        if new_id not in pairs and old_id not in pairs.values():
            pairs[new_id] = old_id
    return pairs


def compare_refs(
    base: Snapshot, head: Snapshot, renamed: dict[str, str]
) -> tuple[tuple[RefChange, ...], ...]:
    """(broken, created, dropped) references, a renamed sheet counting under its old id.

    References made by a sheet that is wholly added or removed are listed with that sheet,
    not here; a broken reference is always listed.
    """

    def old_key(key: RefKey) -> RefKey:
        sheet_id, statement_id, target = key
        target_sheet, hash_, target_statement = target.partition("#")
        target = renamed.get(target_sheet, target_sheet) + hash_ + target_statement
        return renamed.get(sheet_id, sheet_id), statement_id, target

    def change(key: RefKey, loc: Loc, why: str | None) -> RefChange:
        sheet_id, statement_id, target = key
        source = f"{sheet_id}#{statement_id}" if statement_id else sheet_id
        return RefChange(source, target, str(loc), why or "")

    head_keys = {old_key(key): key for key in head.refs}
    head_ids = {renamed.get(sheet_id, sheet_id) for sheet_id in head.sheets}
    broken, created = [], []
    for key, (loc, why) in sorted(head.refs.items()):
        before = base.refs.get(old_key(key))
        if why is not None and (before is None or before[1] is None):
            broken.append(change(key, loc, why))
        elif why is None and before is None and old_key(key)[0] in base.sheets:
            created.append(change(key, loc, why))
    dropped = [
        change(key, loc, None)
        for key, (loc, why) in sorted(base.refs.items())
        if why is None and key not in head_keys and key[0] in head_ids
    ]
    return tuple(broken), tuple(created), tuple(dropped)


def compare(base: Snapshot, head: Snapshot) -> Diff:
    """Sheets added, removed, renamed and changed, and references broken, created, dropped."""
    gone = [i for i in sorted(base.sheets) if i not in head.sheets and i not in head.invalid_ids]
    new = [i for i in sorted(head.sheets) if i not in base.sheets]
    renamed = pair_renames(base, head, gone, new)
    pairs = [(base.sheets[i], head.sheets[i]) for i in sorted(head.sheets) if i in base.sheets]
    pairs += [(base.sheets[old], head.sheets[new_id]) for new_id, old in renamed.items()]
    changed = [compare_sheets(old, fresh) for old, fresh in pairs]
    broken, created, dropped = compare_refs(base, head, renamed)
    return Diff(
        base=base.label,
        head=head.label,
        added=tuple(compare_sheets(None, head.sheets[i]) for i in new if i not in renamed),
        removed=tuple(
            compare_sheets(base.sheets[i], None) for i in gone if i not in renamed.values()
        ),
        changed=tuple(
            sorted(
                (
                    d
                    for d in changed
                    if d.renamed_from or d.old_path or d.fields or d.added or d.removed or d.changed
                ),
                key=lambda d: d.id,
            )
        ),
        broken=broken,
        created=created,
        dropped=dropped,
        invalid_base=base.invalid,
        invalid_head=head.invalid,
        problems_base=base.problems,
        problems_head=head.problems,
    )


def diff_revisions(root: Path, base: str, head: str | None) -> Diff:
    """Compare two git revisions of the project at root; head None is the working tree."""
    return compare(take(root, base), take(root, head))
