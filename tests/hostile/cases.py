"""Hostile inputs that must be refused, each with the exact messages a contributor reads.

Every case is a set of files written over the small valid corpus of tests.helpers.make_corpus
(a source 'article', actors 'china' and 'russia'); `links` are symbolic links to create
(path -> target, where the target may name CANARY_FILE). The expected messages are the
whole output of `check`, sorted, in 'path:line:col: message' form.

test_load.py and test_validate.py hold the ordinary mistakes; these are attacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefing.check.characters import MAX_FILE_BYTES

A = "content/actors/iran.yaml"
E = "content/events/strike.yaml"
S = "content/sources/article.yaml"
B = "content/briefings/brief.yaml"

# Planted outside content/ and docs/ by the tests; it must never reach a message or site/.
CANARY = "CANARY-CONTENT-5e1d0c"
CANARY_FILE = "canary.txt"  # at the project root; another copy sits outside the project

ACTOR = "id: iran\nname: Iran\ntype: state\nsummary: A state.\n"
EVENT = "id: strike\ntitle: A strike\nsummary: s\ndate: '{date}'\n"
SOURCE = "id: article\ntitle: An article\nsummary: s\ntext: article.txt\n"
STATEMENT = (
    "statements:\n"
    "  - id: s\n"
    "    text: t\n"
    "    kind: reported\n"
    "    source: {source}\n"
    "    quote: {quote}\n"
)
GOOD_QUOTE = "Trade between China and Russia reached a record $240 billion last year."


@dataclass(frozen=True)
class Rejected:
    """Content that must fail the check with exactly these messages (and build nothing)."""

    name: str
    attack: str
    files: dict[str, str | bytes]
    expected: list[str]
    links: dict[str, str] = field(default_factory=dict)


def plant_canary(outside: Path, root: Path) -> None:
    """The canary file at the project root and in a folder outside the project."""
    for folder in (root, outside):
        (folder / CANARY_FILE).write_text(f"The secret is {CANARY}.\n", encoding="utf-8")


def actor_with(**fields: str) -> str:
    """The valid actor 'iran' with fields replaced or added (values written as given)."""
    values = {"id": "iran", "name": "Iran", "type": "state", "summary": "A state.", **fields}
    return "".join(f"{key}: {value}\n" for key, value in values.items())


def statement(quote: str = GOOD_QUOTE, source: str = "article") -> str:
    """A statements block with one statement quoting quote from source."""
    return STATEMENT.format(source=source, quote=quote)


def slug_message(path: str, line_col: str, name: str, value: str) -> str:
    return (
        f"{path}:{line_col}: '{name}' must be a slug of lowercase letters, digits and single "
        f"hyphens, like 'north-korea' (got '{value}')"
    )


def title_message(path: str, line_col: str, name: str) -> str:
    return f"{path}:{line_col}: '{name}' must not contain '<', '>' or HTML entities"


def url_case(name: str, url: str, why: str) -> Rejected:
    """A publication url that must be refused."""
    sheet = SOURCE + f"publication:\n  url: {url}\n"
    return Rejected(name, "script URL", {S: sheet}, [f"{S}:6:8: 'url' {why}"])


def bomb(levels: int = 9, width: int = 9) -> bytes:
    """A billion-laughs alias bomb: width**levels copies if anything expanded it."""
    lines = ["id: iran", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]")
    return ("\n".join(lines) + "\n").encode()


BILLION_LAUGHS = bomb()

STRICT_YAML = [
    Rejected(
        "duplicate id hijacks the sheet",
        "duplicate keys",
        {A: ACTOR + "id: china\n"},
        [f"{A}:5:1: duplicate key 'id' (first at line 1, col 1); keep one of them"],
    ),
    Rejected(
        "duplicate quote swaps the verified words",
        "duplicate keys",
        {A: ACTOR + statement() + "    quote: Anything at all.\n"},
        [f"{A}:11:5: duplicate key 'quote' (first at line 10, col 5); keep one of them"],
    ),
    Rejected(
        "YAML 1.1 boolean as a choice stays text",
        "YAML 1.1 types",
        {A: actor_with(type="yes")},
        [
            f"{A}:3:7: 'type' must be one of state, person, organization, group (got 'yes')",
        ],
    ),
    Rejected(
        "sexagesimal and octal as a date stay text",
        "YAML 1.1 types",
        {E: "id: strike\ntitle: T\nsummary: s\ndate: 1:30\nstatements: []\n"},
        [
            f"{E}:4:7: 'date' must be an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD (got '1:30')",
        ],
    ),
    Rejected(
        "anchor reused through an alias",
        "anchors and aliases",
        {A: actor_with(summary="&s A state.", role="*s")},
        [
            f"{A}:4:10: anchors ('&s') are not allowed; remove it and repeat values",
            f"{A}:5:7: aliases ('*s') are not allowed; write the value out in full",
        ],
    ),
    Rejected(
        "merge key copies a statement",
        "anchors and aliases",
        {
            A: ACTOR
            + statement().replace("  - id: s\n", "  - &base\n    id: s\n")
            + "  - <<: *base\n    id: t\n"
        },
        [
            f"{A}:6:5: anchors ('&base') are not allowed; remove it and repeat values",
            f"{A}:12:5: merge keys ('<<') are not allowed; write the fields out in full",
            f"{A}:12:5: missing required field 'kind' in statement; add 'kind: ...'",
            f"{A}:12:5: missing required field 'quote' in statement; add 'quote: ...'",
            f"{A}:12:5: missing required field 'source' in statement; add 'source: ...'",
            f"{A}:12:5: missing required field 'text' in statement; add 'text: ...'",
            f"{A}:12:9: aliases ('*base') are not allowed; write the value out in full",
        ],
    ),
    Rejected(
        "python object tag",
        "explicit tags",
        {A: actor_with(role="!!python/object/apply:os.system ['touch pwned']")},
        [
            f"{A}:5:7: 'role' must be text, not a list",
            f"{A}:5:7: tags ('tag:yaml.org,2002:python/object/apply:os.system') are not allowed; "
            "remove it, all values are read as text",
        ],
    ),
    Rejected(
        "tag declared by a %TAG directive",
        "explicit tags",
        {A: "%TAG !py! tag:yaml.org,2002:python/\n---\n" + actor_with(role="!py!name:os.system x")},
        [
            f"{A}:7:7: tags ('tag:yaml.org,2002:python/name:os.system') are not allowed; "
            "remove it, all values are read as text",
        ],
    ),
    Rejected(
        "nesting bomb of 100,000 brackets",
        "deep nesting",
        {A: ACTOR + "role: " + "[" * 100_000 + "]" * 100_000 + "\n"},
        [f"{A}:5:12: nesting deeper than 6 levels; no field of a sheet goes this deep"],
    ),
    Rejected(
        "nesting bomb of indented mappings",
        "deep nesting",
        {A: ACTOR + "".join(" " * (2 * i) + f"k{i}:\n" for i in range(40)) + " " * 80 + "x\n"},
        [f"{A}:11:13: nesting deeper than 6 levels; no field of a sheet goes this deep"],
    ),
    Rejected(
        "file one byte over the limit",
        "oversize",
        {A: ACTOR + "#" * (MAX_FILE_BYTES - len(ACTOR)) + "\n"},
        [
            f"{A}:1:1: file is {MAX_FILE_BYTES + 1} bytes, over the limit of {MAX_FILE_BYTES}; "
            "split it into smaller sheets",
        ],
    ),
    Rejected(
        "one value over the limit",
        "oversize",
        {A: actor_with(role="x" * 20_001)},
        [f"{A}:5:7: value is 20001 characters long, over the limit of 20000; shorten it"],
    ),
    Rejected(
        "Latin-1 file",
        "encoding",
        {A: ACTOR.replace("A state.", "Un état.").encode("latin-1")},
        [f"{A}:4:13: byte 0xe9 is not valid UTF-8; save the file as UTF-8"],
    ),
    Rejected(
        "overlong UTF-8 slash",
        "encoding",
        {A: ACTOR.encode() + b"role: ..\xc0\xafetc\n"},
        [f"{A}:5:9: byte 0xc0 is not valid UTF-8; save the file as UTF-8"],
    ),
    Rejected(
        "UTF-16 file",
        "encoding",
        {A: ACTOR.encode("utf-16")},
        [f"{A}:1:1: byte 0xff is not valid UTF-8; save the file as UTF-8"],
    ),
    Rejected(
        "byte-order mark",
        "encoding",
        {A: b"\xef\xbb\xbf" + ACTOR.encode()},
        [f"{A}:1:1: file starts with a byte-order mark; save it as UTF-8 without BOM"],
    ),
    Rejected(
        "tab indentation in a statement",
        "tabs",
        {A: ACTOR + statement().replace("    kind:", "\tkind:")},
        [
            f"{A}:8:1: YAML syntax error: found a tab character that violates indentation "
            "(indent with spaces, not tabs)",
        ],
    ),
    Rejected(
        "NUL byte",
        "control characters",
        {A: ACTOR.encode() + b"role: a\x00b\n"},
        [f"{A}:5:8: control character U+0000 is not allowed; delete it"],
    ),
    Rejected(
        "ANSI escape sequence that recolours a terminal",
        "control characters",
        {A: actor_with(role='"\\e[2J\\e[32mall checks passed"')},
        [f"{A}:5:7: control character U+001B is not allowed; delete it"],
    ),
    Rejected(
        "C1 control (NEL) in a value",
        "control characters",
        {A: actor_with(role="a\u0085b")},
        [f"{A}:5:8: control character U+0085 is not allowed; delete it"],
    ),
    Rejected(
        "right-to-left override hides a quote's wording (Trojan Source)",
        "bidi characters",
        {A: ACTOR + statement(quote="Trade between \u202eaisuR dna anihC\u202c")},
        [
            f"{A}:10:26: invisible or bidirectional control character U+202E is not allowed; "
            "delete it",
            f"{A}:10:42: invisible or bidirectional control character U+202C is not allowed; "
            "delete it",
        ],
    ),
    Rejected(
        "isolate and Arabic letter mark",
        "bidi characters",
        {A: actor_with(name='"Iran\\u2067x\\u061c"')},
        [
            f"{A}:2:7: invisible or bidirectional control character U+061C is not allowed; "
            "delete it",
            f"{A}:2:7: invisible or bidirectional control character U+2067 is not allowed; "
            "delete it",
        ],
    ),
    Rejected(
        "line separator splits a value and shifts every later line",
        "line separators",
        {A: actor_with(role="a\u2028b", interests="[x")},
        [f"{A}:5:8: line separator U+2028 is not allowed; use a plain line break"],
    ),
    Rejected(
        "lone surrogate written as an escape",
        "surrogates",
        {A: actor_with(role='"a\\udc00b"')},
        [
            f"{A}:5:11: YAML syntax error: found invalid Unicode character escape code "
            "(write the character itself instead of its escape)",
        ],
    ),
    Rejected(
        "lone surrogate encoded in the bytes (CESU-8)",
        "surrogates",
        {A: ACTOR.encode() + b"role: a\xed\xa0\x80b\n"},
        [f"{A}:5:8: byte 0xed is not valid UTF-8; save the file as UTF-8"],
    ),
    Rejected(
        "noncharacter that hid a page's front matter from MkDocs",
        "noncharacters",
        {A: actor_with(name='"Iran \\uFFFE [x](javascript:alert(document.domain))"')},
        [f"{A}:2:7: Unicode noncharacter U+FFFE is not allowed; delete it"],
    ),
    Rejected(
        "noncharacter in the raw bytes",
        "noncharacters",
        {A: actor_with(name="Iran \uffff")},
        [f"{A}:2:12: Unicode noncharacter U+FFFF is not allowed; delete it"],
    ),
    Rejected(
        "empty file",
        "document shape",
        {A: b""},
        [f"{A}:1:1: file is empty; a sheet is a mapping of fields that starts with 'id: ...'"],
    ),
    Rejected(
        "only a document marker",
        "document shape",
        {A: "---\n...\n"},
        [f"{A}:2:1: a sheet must be a mapping of fields ('key: value' lines), not text"],
    ),
    Rejected(
        "top-level list of sheets",
        "document shape",
        {A: "- " + ACTOR.replace("\n", "\n  ").rstrip() + "\n"},
        [f"{A}:1:1: a sheet must be a mapping of fields ('key: value' lines), not a list"],
    ),
    Rejected(
        "second document smuggles another sheet",
        "document shape",
        {A: ACTOR + "---\n" + ACTOR.replace("iran", "china")},
        [f"{A}:5:1: only one YAML document is allowed per file; remove the second '---'"],
    ),
    Rejected(
        "a key that is a mapping",
        "document shape",
        {A: ACTOR + "? {a: b}\n: c\n"},
        [f"{A}:5:3: a key must be plain text, not a mapping"],
    ),
    Rejected(
        "a key with a line break forges an output line",
        "message injection",
        {A: ACTOR + '"x\\ncontent/actors/china.yaml:1:1: all good": 1\n'},
        [
            f"{A}:5:1: unknown field 'x\\ncontent/actors/china.yaml:1:1: all good' in actor "
            "(allowed: id, name, summary, type, aliases, editorial_aliases, role, interests, tags, review_by, statements)",
        ],
    ),
]

SCHEMA = [
    Rejected(
        "empty mapping",
        "missing fields",
        {A: "{}\n"},
        [
            f"{A}:1:1: missing required field '{name}' in actor; add '{name}: ...'"
            for name in ("id", "name", "summary", "type")
        ],
    ),
    Rejected(
        "prototype-pollution key",
        "unknown fields",
        {A: ACTOR + "__proto__: {isAdmin: true}\n"},
        [
            f"{A}:5:1: unknown field '__proto__' in actor (allowed: id, name, summary, type, "
            "aliases, editorial_aliases, role, interests, tags, review_by, statements)",
        ],
    ),
    Rejected(
        "statements as a mapping",
        "mistyped fields",
        {A: ACTOR + "statements: {id: s}\n"},
        [f"{A}:5:13: 'statements' must be a list, not a mapping"],
    ),
    Rejected(
        "name as a list",
        "mistyped fields",
        {A: actor_with(name="[Iran, Persia]")},
        [f"{A}:2:7: 'name' must be text, not a list"],
    ),
    Rejected(
        "29 February of a common year",
        "bad dates",
        {E: EVENT.format(date="2023-02-29")},
        [f"{E}:4:7: 'date' is not a real date (day is out of range for month) (got '2023-02-29')"],
    ),
    Rejected(
        "month 13",
        "bad dates",
        {E: EVENT.format(date="2024-13")},
        [f"{E}:4:7: 'date' is not a real date (month must be in 1..12) (got '2024-13')"],
    ),
    Rejected(
        "year 0",
        "bad dates",
        {E: EVENT.format(date="0000")},
        [f"{E}:4:7: 'date' is not a real date (year 0 is out of range) (got '0000')"],
    ),
    Rejected(
        "Arabic-Indic digits",
        "bad dates",
        {E: EVENT.format(date="٢٠٢٤-٠١-٠١")},
        [
            f"{E}:4:7: 'date' must be an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD "
            "(got '٢٠٢٤-٠١-٠١')",
        ],
    ),
    Rejected(
        "timestamp instead of a date",
        "bad dates",
        {E: EVENT.format(date="2024-10-23T00:00:00Z")},
        [
            f"{E}:4:7: 'date' must be an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD "
            "(got '2024-10-23T00:00:00Z')",
        ],
    ),
    Rejected(
        "absolute path as an id",
        "bad slugs",
        {A: actor_with(id="/etc/passwd")},
        [slug_message(A, "1:5", "id", "/etc/passwd")],
    ),
    Rejected(
        "traversal as a statement id",
        "bad slugs",
        {A: ACTOR + statement().replace("id: s", "id: ../../index")},
        [slug_message(A, "6:9", "id", "../../index")],
    ),
    Rejected(
        "dot file as an id",
        "bad slugs",
        {A: actor_with(id=".htaccess")},
        [slug_message(A, "1:5", "id", ".htaccess")],
    ),
    Rejected(
        "trailing hyphen",
        "bad slugs",
        {A: actor_with(id="iran-")},
        [slug_message(A, "1:5", "id", "iran-")],
    ),
    Rejected(
        "ids differing only by case",
        "case and Unicode look-alikes",
        {"content/actors/China.yaml": ACTOR.replace("iran", "China")},
        [slug_message("content/actors/China.yaml", "1:5", "id", "China")],
    ),
    Rejected(
        "fullwidth letters (NFKC folds them to 'china')",
        "case and Unicode look-alikes",
        {"content/actors/ｃｈｉｎａ.yaml": ACTOR.replace("iran", "ｃｈｉｎａ")},
        [slug_message("content/actors/ｃｈｉｎａ.yaml", "1:5", "id", "ｃｈｉｎａ")],
    ),
    Rejected(
        "Cyrillic look-alike letter",
        "case and Unicode look-alikes",
        {"content/actors/сhina.yaml": ACTOR.replace("iran", "сhina")},
        [slug_message("content/actors/сhina.yaml", "1:5", "id", "сhina")],
    ),
    Rejected(
        "decomposed accent (NFD)",
        "case and Unicode look-alikes",
        {A: actor_with(id="ira\u0301n")},
        [slug_message(A, "1:5", "id", "ira\u0301n")],
    ),
    Rejected(
        "one id in two kinds",
        "duplicate ids",
        {
            "content/events/china.yaml": EVENT.format(date="2024").replace("strike", "china"),
            "content/briefings/china.yaml": (
                "id: china\ntitle: T\nsummary: s\nbluf: b\nkey_judgments: [china#trade]\n"
            ),
        },
        [
            "content/briefings/china.yaml:1:1: duplicate id 'china': also used by "
            "content/actors/china.yaml; ids are unique across all kinds",
            "content/events/china.yaml:1:1: duplicate id 'china': also used by "
            "content/actors/china.yaml; ids are unique across all kinds",
        ],
    ),
    Rejected(
        "id that claims another sheet's file",
        "duplicate ids",
        {A: actor_with(id="china")},
        [
            f"{A}:1:5: id 'china' does not match the file name 'iran.yaml'; "
            "rename the file or change the id",
        ],
    ),
    *(
        Rejected(
            f"reserved id '{reserved}'",
            "reserved ids",
            {f"content/actors/{reserved}.yaml": ACTOR.replace("iran", reserved)},
            [
                f"content/actors/{reserved}.yaml:1:5: id '{reserved}' is reserved for the site's "
                "own pages (404, assets, index, pdf, search, sitemap, tags); choose another id",
            ],
        )
        for reserved in ("index", "search", "assets", "pdf", "tags", "404", "sitemap")
    ),
    Rejected(
        "text file by absolute path",
        "file leak",
        {S: SOURCE.replace("article.txt", "/etc/passwd")},
        [
            f"{S}:1:1: 'text' must be the name of a .txt file beside the sheet, without folders "
            "(got '/etc/passwd')",
        ],
    ),
    Rejected(
        "text file outside content/ by traversal",
        "file leak",
        {S: SOURCE.replace("article.txt", f"../../{CANARY_FILE}")},
        [
            f"{S}:1:1: 'text' must be the name of a .txt file beside the sheet, without folders "
            f"(got '../../{CANARY_FILE}')",
        ],
    ),
    Rejected(
        "symlinked source text",
        "file leak",
        {
            "content/sources/leak.yaml": SOURCE.replace("article", "leak"),
            A: ACTOR + statement(quote=CANARY[:-2], source="leak"),
        },
        [
            "content/sources/leak.txt:1:1: symbolic links are not allowed in content/; "
            "put the file itself here",
            "content/sources/leak.yaml:1:1: source text 'content/sources/leak.txt' is a "
            "symbolic link; archive the text itself",
        ],
        links={"content/sources/leak.txt": CANARY_FILE},
    ),
    Rejected(
        "symlinked sheet",
        "file leak",
        {"outside/iran.yaml": ACTOR},
        [
            f"{A}:1:1: symbolic links are not allowed in content/; put the file itself here",
        ],
        links={A: "outside/iran.yaml"},
    ),
    Rejected(
        "symlinked kind folder",
        "file leak",
        {"outside/strike.yaml": EVENT.format(date="2024")},
        [
            "content/events:1:1: symbolic links are not allowed in content/; "
            "put the file itself here",
        ],
        links={"content/events": "outside"},
    ),
]

REFERENCES = [
    Rejected(
        "traversal in a [[ref]]",
        "references",
        {A: actor_with(summary="See [[../../etc/passwd]].")},
        [
            f"{A}:4:10: '[[../../etc/passwd]]' is not a reference; write [[id]], [[id|label]] "
            "or [[id#statement-id]]",
        ],
    ),
    Rejected(
        "script URL as a [[ref]]",
        "references",
        {A: actor_with(summary="'[[javascript:alert(1)|click]]'")},
        [
            f"{A}:4:10: '[[javascript:alert(1)]]' is not a reference; write [[id]], [[id|label]] "
            "or [[id#statement-id]]",
        ],
    ),
    Rejected(
        "traversal after '#'",
        "references",
        {A: actor_with(summary="See [[china#../../x]].")},
        [
            f"{A}:4:10: '[[china#../../x]]' is not a reference; write [[id]], [[id|label]] "
            "or [[id#statement-id]]",
        ],
    ),
    Rejected(
        "a [[ref]] split over lines forges an output line",
        "references",
        {A: actor_with(summary='"[[x\\ncontent/actors/china.yaml:1:1: fine]]"')},
        [
            f"{A}:4:10: '[[x\\ncontent/actors/china.yaml:1:1: fine]]' is not a reference; "
            "write [[id]], [[id|label]] or [[id#statement-id]]",
        ],
    ),
    Rejected(
        "path as a source id",
        "references",
        {A: ACTOR + statement(source="../sources/article")},
        [
            f"{A}:9:13: 'source' must be an id like 'russia' or 'russia#statement-id' "
            "(got '../sources/article')",
        ],
    ),
    Rejected(
        "an actor as a statement's source",
        "references",
        {A: ACTOR + statement(source="china")},
        [f"{A}:9:13: 'china' is a actor, but this field names a source"],
    ),
    Rejected(
        "key judgment with two anchors",
        "references",
        {B: "id: brief\ntitle: B\nsummary: s\nbluf: b\nkey_judgments: ['china#trade#x']\n"},
        [
            f"{B}:5:17: 'judgment' must be an id like 'russia' or 'russia#statement-id' "
            "(got 'china#trade#x')",
        ],
    ),
    Rejected(
        "reference to a reserved page",
        "references",
        {A: actor_with(summary="See [[index]] and [[search]].")},
        [
            f"{A}:4:10: unknown reference 'index': the id is reserved for the site's own "
            "pages and no sheet can have it; correct the id",
            f"{A}:4:10: unknown reference 'search': the id is reserved for the site's own "
            "pages and no sheet can have it; correct the id",
        ],
    ),
]

QUOTES = [
    Rejected(
        "hedge removed from a quote",
        "quotes",
        {
            A: ACTOR
            + statement(quote="A wider war in the Middle East will puncture energy markets.")
        },
        [
            f"{A}:10:12: quote not found in source 'article' (content/sources/article.txt); "
            'closest passage: "A wider war in the Middle East could puncture energy markets."',
        ],
    ),
    Rejected(
        "quote of the claim itself, not of the source",
        "quotes",
        {
            A: ACTOR
            + statement(quote="Iran supplies the drones.").replace(
                "text: t", "text: Iran supplies the drones."
            )
        },
        [
            f"{A}:10:12: quote not found in source 'article' (content/sources/article.txt); "
            'closest passage: "officials believe the troops"',
        ],
    ),
    Rejected(
        "quote that is in another source",
        "quotes",
        {
            "content/sources/other.yaml": SOURCE.replace("article", "other"),
            "content/sources/other.txt": "Iran has supplied Russia with drones.\n",
            A: ACTOR + statement(quote="Iran has supplied Russia with drones."),
        },
        [
            f"{A}:10:12: quote not found in source 'article' (content/sources/article.txt), "
            "but it is in source 'other' (content/sources/other.txt); cite 'source: other'",
        ],
    ),
    Rejected(
        "zero-width space inside a quote",
        "quotes",
        {A: ACTOR + statement(quote="reached a record $240\u200b billion")},
        [
            f"{A}:10:12: quote not found in source 'article' (content/sources/article.txt); "
            'closest passage: "reached a record $240 billion"',
        ],
    ),
    Rejected(
        "quote guessing at the canary through a symlink",
        "quotes",
        {
            "content/sources/leak.yaml": SOURCE.replace("article", "leak"),
            A: ACTOR + statement(quote=CANARY, source="leak"),
        },
        [
            "content/sources/leak.txt:1:1: symbolic links are not allowed in content/; "
            "put the file itself here",
            "content/sources/leak.yaml:1:1: source text 'content/sources/leak.txt' is a "
            "symbolic link; archive the text itself",
        ],
        links={"content/sources/leak.txt": CANARY_FILE},
    ),
]

INJECTION = [
    Rejected(
        "script tag in a name",
        "markup in titles",
        {A: actor_with(name="<script>alert(1)</script>")},
        [title_message(A, "2:7", "name")],
    ),
    Rejected(
        "</title> breakout in a title",
        "markup in titles",
        {E: EVENT.format(date="2024").replace("A strike", "x</title><script>alert(1)</script>")},
        [title_message(E, "2:8", "title")],
    ),
    Rejected(
        "encoded breakout in a title",
        "markup in titles",
        {E: EVENT.format(date="2024").replace("A strike", "'&lt;/title&gt;&lt;script&gt;'")},
        [title_message(E, "2:8", "title")],
    ),
    Rejected(
        "character references without ';' in a title",
        "markup in titles",
        {A: actor_with(name="Iran &copy2024 &ltscript&gt")},
        [title_message(A, "2:7", "name")],
    ),
    Rejected(
        "event handler in an alias",
        "markup in titles",
        {A: actor_with(aliases="['<img src=x onerror=alert(1)>']")},
        [title_message(A, "5:11", "alias")],
    ),
    Rejected(
        "markup in a section title",
        "markup in titles",
        {
            B: "id: brief\ntitle: B\nsummary: s\nbluf: b\nkey_judgments: [china#trade]\n"
            "sections:\n  - title: </h2><svg onload=alert(1)>\n"
        },
        [title_message(B, "7:12", "title")],
    ),
    Rejected(
        "front matter breakout through a multi-line title",
        "markup in titles",
        {A: actor_with(name='"Iran\\n---\\ntitle: x"')},
        [f"{A}:2:7: 'name' must be one line; join the lines"],
    ),
    url_case(
        "javascript: in mixed case",
        "JaVaScRiPt:alert(1)",
        "must start with https:, http: or mailto: (got 'JaVaScRiPt:alert(1)')",
    ),
    url_case(
        "javascript: after leading space",
        "' javascript:alert(1)'",
        "must start with https:, http: or mailto: (got 'javascript:alert(1)')",
    ),
    url_case(
        "javascript: split by a tab",
        '"java\\tscript:alert(1)"',
        "must not contain spaces (got 'java\\tscript:alert(1)')",
    ),
    url_case(
        "javascript: behind an entity",
        "javascript&colon;alert(1)",
        "must start with https:, http: or mailto: (got 'javascript&colon;alert(1)')",
    ),
    url_case(
        "data: URL",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "must start with https:, http: or mailto: "
        "(got 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==')",
    ),
    url_case(
        "vbscript: URL",
        "vbscript:msgbox(1)",
        "must start with https:, http: or mailto: (got 'vbscript:msgbox(1)')",
    ),
    url_case(
        "scheme-relative URL",
        "//evil.example/x",
        "must start with https:, http: or mailto: (got '//evil.example/x')",
    ),
    url_case(
        "https: without a host hiding javascript:",
        "https:javascript:alert(1)",
        "needs a host, like https://example.org/page (got 'https:javascript:alert(1)')",
    ),
    url_case(
        "mailto: without an address",
        "mailto:javascript:alert(1)",
        "needs an address (got 'mailto:javascript:alert(1)')",
    ),
    url_case(
        "malformed IPv6 host (crashed validation)",
        "https://[x",
        "is not a valid URL (Invalid IPv6 URL) (got 'https://[x')",
    ),
]

REJECTED: list[Rejected] = [*STRICT_YAML, *SCHEMA, *REFERENCES, *QUOTES, *INJECTION]

# Representative cases that also run through `build.py build` as a subprocess.
VIA_CLI = (
    "duplicate id hijacks the sheet",
    "python object tag",
    "nesting bomb of 100,000 brackets",
    "noncharacter that hid a page's front matter from MkDocs",
    "reserved id 'index'",
    "symlinked source text",
    "script URL as a [[ref]]",
    "malformed IPv6 host (crashed validation)",
    "a key with a line break forges an output line",
)
