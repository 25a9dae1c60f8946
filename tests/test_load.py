"""Stage 1: the strict YAML loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check import characters, load
from briefing.check.characters import MAX_FILE_BYTES
from briefing.check.load import load_corpus, load_file
from briefing.check.yamltree import Mapping, Scalar, Sequence
from briefing.model.errors import Loc

P = "content/actors/x.yaml"

BAD_INPUT = [
    (
        "duplicate key names both lines",
        b"id: x\nsummary: a\nsummary: b\n",
        [f"{P}:3:1: duplicate key 'summary' (first at line 2, col 1); keep one of them"],
    ),
    (
        "anchor and alias",
        b"a: &one x\nb: *one\n",
        [
            f"{P}:1:4: anchors ('&one') are not allowed; remove it and repeat values",
            f"{P}:2:4: aliases ('*one') are not allowed; write the value out in full",
        ],
    ),
    (
        "merge key",
        b"a:\n  <<: {b: c}\n",
        [f"{P}:2:3: merge keys ('<<') are not allowed; write the fields out in full"],
    ),
    (
        "explicit tag",
        b"a: !!binary aGk=\n",
        [
            f"{P}:1:4: tags ('tag:yaml.org,2002:binary') are not allowed; "
            "remove it, all values are read as text"
        ],
    ),
    (
        "local tag",
        b"a: !thing x\n",
        [f"{P}:1:4: tags ('!thing') are not allowed; remove it, all values are read as text"],
    ),
    (
        "two documents",
        b"a: 1\n---\nb: 2\n",
        [f"{P}:2:1: only one YAML document is allowed per file; remove the second '---'"],
    ),
    (
        "top-level list",
        b"- a\n- b\n",
        [f"{P}:1:1: a sheet must be a mapping of fields ('key: value' lines), not a list"],
    ),
    (
        "top-level scalar",
        b"just text\n",
        [f"{P}:1:1: a sheet must be a mapping of fields ('key: value' lines), not text"],
    ),
    (
        "empty file",
        b"",
        [f"{P}:1:1: file is empty; a sheet is a mapping of fields that starts with 'id: ...'"],
    ),
    (
        "only comments",
        b"# nothing here\n",
        [f"{P}:1:1: file is empty; a sheet is a mapping of fields that starts with 'id: ...'"],
    ),
    (
        "tab indentation",
        b"a:\n\tb: 1\n",
        [
            f"{P}:2:1: YAML syntax error: found character '\\t' that cannot start any token "
            "(indent with spaces, not tabs)"
        ],
    ),
    (
        "colon in plain value",
        b"summary: a: b\n",
        [
            f"{P}:1:11: YAML syntax error: mapping values are not allowed in this context "
            "(put the value in quotes if it contains ': ')"
        ],
    ),
    (
        "unclosed quote",
        b'summary: "open\n',
        [
            f"{P}:2:1: YAML syntax error: found unexpected end of stream "
            "(a quote or bracket is opened and never closed)"
        ],
    ),
    (
        "invalid UTF-8",
        b"id: x\nsummary: caf\xe9\n",
        [f"{P}:2:13: byte 0xe9 is not valid UTF-8; save the file as UTF-8"],
    ),
    (
        "byte-order mark",
        b"\xef\xbb\xbfid: x\n",
        [f"{P}:1:1: file starts with a byte-order mark; save it as UTF-8 without BOM"],
    ),
    (
        "control character",
        b"id: x\x07\n",
        [f"{P}:1:6: control character U+0007 is not allowed; delete it"],
    ),
    (
        "bidi override",
        "id: x\u202ey\n".encode(),
        [f"{P}:1:6: invisible or bidirectional control character U+202E is not allowed; delete it"],
    ),
    (
        "escaped control character",
        b'id: "a\\x1bb"\n',
        [f"{P}:1:5: control character U+001B is not allowed; delete it"],
    ),
    (
        "escaped lone surrogate",
        b'id: "a\\ud800"\n',
        [
            f"{P}:1:9: YAML syntax error: found invalid Unicode character escape code "
            "(write the character itself instead of its escape)"
        ],
    ),
    (
        "complex key",
        b"? [a, b]\n: c\n",
        [f"{P}:1:3: a key must be plain text, not a list"],
    ),
    (
        "deep nesting",
        b"a: [[[[[[[x]]]]]]]\n",
        [f"{P}:1:9: nesting deeper than 6 levels; no field of a sheet goes this deep"],
    ),
    (
        "oversize value",
        b"a: " + b"x" * 20_001 + b"\n",
        [f"{P}:1:4: value is 20001 characters long, over the limit of 20000; shorten it"],
    ),
    (
        "oversize file",
        b"a: b\n" * (MAX_FILE_BYTES // 5 + 1),
        [
            f"{P}:1:1: file is {5 * (MAX_FILE_BYTES // 5 + 1)} bytes, over the limit of "
            f"{MAX_FILE_BYTES}; split it into smaller sheets"
        ],
    ),
]


def load_bytes(tmp_path: Path, data: bytes) -> tuple[object, list[str]]:
    path = tmp_path / "x.yaml"
    path.write_bytes(data)
    document, problems = load_file(path, P, "actors")
    return document, [str(p) for p in problems]


@pytest.mark.parametrize(
    ("data", "expected"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT]
)
def test_bad_input_is_reported_exactly(tmp_path: Path, data: bytes, expected: list[str]) -> None:
    _, problems = load_bytes(tmp_path, data)
    assert problems == expected


def test_scalars_stay_text_with_locations(tmp_path: Path) -> None:
    document, problems = load_bytes(
        tmp_path, b"id: NO\nyes: on\nmode: 0755\ntime: 1:30\ndate: 2024-02-30\nnull: ~\n"
    )
    assert problems == []
    root = document.root  # type: ignore[attr-defined]
    assert isinstance(root, Mapping)
    values = {e.key: e.value for e in root.entries}
    assert {k: v.text for k, v in values.items()} == {  # type: ignore[union-attr]
        "id": "NO",
        "yes": "on",
        "mode": "0755",
        "time": "1:30",
        "date": "2024-02-30",
        "null": "~",
    }
    assert values["mode"].loc == Loc(P, 3, 7)
    assert root.entries[2].key_loc == Loc(P, 3, 1)


def test_lists_and_nested_mappings_keep_locations(tmp_path: Path) -> None:
    document, problems = load_bytes(tmp_path, b"items:\n  - a\n  - k: v\n")
    assert problems == []
    items = document.root.entries[0].value  # type: ignore[attr-defined]
    assert isinstance(items, Sequence)
    assert isinstance(items.items[0], Scalar) and items.items[0].loc == Loc(P, 2, 5)
    assert isinstance(items.items[1], Mapping) and items.items[1].entries[0].key_loc == Loc(P, 3, 5)


def test_alias_bomb_is_rejected_fast(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        previous = chr(ord("a") + n - 1)
        lines.append(
            f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [" + ", ".join([f"*{previous}"] * 9) + "]"
        )
    _, problems = load_bytes(tmp_path, "\n".join(lines).encode())
    assert problems[0] == f"{P}:1:4: anchors ('&a') are not allowed; remove it and repeat values"
    assert len(problems) == 9 + 8 * 9  # every anchor and every alias, nothing expanded


def test_misplaced_files_are_reported(tmp_path: Path) -> None:
    content = tmp_path / "content"
    for name in ("actors/a.yml", "stuff/b.yaml", "c.yaml", "actors/deep/d.yaml"):
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("id: x\n")
    _, problems = load_corpus(tmp_path, content)
    kinds = (
        "sources, actors, relations, events, briefings "
        "(and the corpus settings in content/corpus.yaml, the vocabulary in content/vocabulary.yaml)"
    )
    assert [str(p) for p in problems] == [
        "content/actors/a.yml:1:1: sheets end in '.yaml'; rename it to 'a.yaml'",
        f"content/actors/deep/d.yaml:1:1: sheets live in content/<kind>/, where kind is one of: {kinds}",
        f"content/c.yaml:1:1: sheets live in content/<kind>/, where kind is one of: {kinds}",
        f"content/stuff/b.yaml:1:1: sheets live in content/<kind>/, where kind is one of: {kinds}",
    ]


def test_the_quick_character_scan_flags_exactly_what_the_detailed_patterns_find() -> None:
    # The quick scan leaves the astral noncharacters out of its class (they made it 15 times
    # slower) and looks for them only when the text holds a character beyond U+FFFF.
    c = characters
    patterns = (c._CONTROL, c._INVISIBLE, c._SURROGATE, c._SEPARATOR, c._NONCHARACTER)
    detailed = [cp for cp in range(0x110000) if any(p.search(chr(cp)) for p in patterns)]
    for prefix in ("", "\U0001f600"):  # alone, and in a text with an astral character
        quick = [cp for cp in range(0x110000) if c._may_hold_bad_characters(prefix + chr(cp))]
        assert quick == detailed


def _discover_by_rglob(root: Path, content: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """discover's rule written the slow, obvious way over sorted(rglob), to compare with."""
    found, problems = [], []
    for path in sorted(content.rglob("*")):
        shown = path.relative_to(root).as_posix()
        parts = path.relative_to(content).parts
        if path.is_symlink():
            problems.append(f"{shown}: link")
        elif path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        elif path.suffix == ".yml" or len(parts) != 2 or parts[0] not in load.KINDS:
            problems.append(f"{shown}: misplaced")
        else:
            found.append((shown, parts[0]))
    return found, problems


def test_discover_lists_files_as_sorted_rglob_would(tmp_path: Path) -> None:
    content = tmp_path / "content"
    names = [
        *("actors/b.yaml", "actors/a.yaml", "actors/A.yaml", "actors/a-b.yaml", "actors/.h.yaml"),
        *("actors/..x.yaml", "actors/x.yml", "actors-x/c.yaml", "events/e.yaml", "c.yaml"),
        *("sources/s.txt", "sources/s.yaml", "stuff/deep/d.yaml", "events/deeper/f.yaml"),
    ]
    for name in names:
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text("id: x\n")
    (content / "actors/dir.yaml").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside/o.yaml").write_text("id: o\n")
    (content / "actors/link.yaml").symlink_to(content / "actors/a.yaml")
    (content / "events/folder").symlink_to(tmp_path / "outside")
    (content / "events/broken.yaml").symlink_to(tmp_path / "missing.yaml")
    found, problems = load.discover(tmp_path, content)
    expected_found, expected_problems = _discover_by_rglob(tmp_path, content)
    assert [(shown, kind) for _, shown, kind in found] == expected_found
    assert [path == tmp_path / shown for path, shown, _ in found] == [True] * len(found)
    kinds = ("link" if "symbolic" in p.message else "misplaced" for p in problems)
    assert [f"{p.loc.path}: {kind}" for p, kind in zip(problems, kinds, strict=True)] == (
        expected_problems
    )
    assert len(found) == 8 and len(problems) == 8


@pytest.mark.parametrize("content", ["missing", "a-file"])
def test_discover_finds_nothing_without_a_content_folder(tmp_path: Path, content: str) -> None:
    if content == "a-file":
        (tmp_path / content).write_text("not a folder\n")
    assert load.discover(tmp_path, tmp_path / content) == ([], [])


def test_a_file_that_cannot_be_read_is_a_problem_naming_it(tmp_path: Path) -> None:
    document, problems = load_file(tmp_path / "gone.yaml", P, "actors")
    assert document is None
    assert [str(p) for p in problems] == [
        f"{P}:1:1: cannot read the file: No such file or directory"
    ]
