"""Injection payloads that are valid content and must come out of the site as literal text.

All of them are built into ONE site (a full MkDocs build costs about half a second): for
payload number n, the corpus gets an actor 'p<n>' carrying it in every text field, and an
event, a relation and a briefing that repeat it in theirs (see corpus()). Payloads that
are also valid titles (no '<', '>' or character references) are used as names, aliases,
tags and section titles too, and their pages are listed in the nav.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from tests.hostile.cases import CANARY_FILE


@dataclass(frozen=True)
class Payload:
    """One injection attempt."""

    name: str
    attack: str
    text: str

    @property
    def folded(self) -> str:
        """The text as the site prints it: white space folded to single spaces."""
        return " ".join(self.text.split())

    @property
    def is_title(self) -> bool:
        """Whether the contract accepts it as a name or title too."""
        one_line = self.folded
        return "<" not in one_line and ">" not in one_line and html.unescape(one_line) == one_line

    @property
    def is_label(self) -> bool:
        """Whether it can be the label of a [[ref|label]]."""
        return "[" not in self.text and "]" not in self.text


PAYLOADS = [
    Payload("script tag", "raw HTML", "<script>alert(1)</script>"),
    Payload("img onerror", "raw HTML", "<img src=x onerror=alert(1)>"),
    Payload("svg onload", "raw HTML", "<svg/onload=alert(1)>"),
    Payload("iframe", "raw HTML", '<iframe src="javascript:alert(1)"></iframe>'),
    Payload("details ontoggle", "raw HTML", "<details open ontoggle=alert(1)>x</details>"),
    Payload("style block", "raw HTML", "<style>body{display:none}</style>"),
    Payload("base href", "raw HTML", '<base href="https://evil.example/">'),
    Payload(
        "meta refresh",
        "raw HTML",
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    ),
    Payload("form action", "raw HTML", '<form action="https://evil.example"><input name=q>'),
    Payload("object data", "raw HTML", '<object data="data:text/html,<script>alert(1)</script>">'),
    Payload("Markdown link", "script URL", "[click](javascript:alert(1))"),
    Payload("Markdown image", "script URL", "![x](javascript:alert(1))"),
    Payload(
        "data: link",
        "script URL",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    ),
    Payload("vbscript: link", "script URL", "[x](vbscript:msgbox(1))"),
    Payload("autolink", "script URL", "<javascript:alert(1)>"),
    Payload("entity-encoded scheme", "script URL", "[x](&#106;avascript:alert(1))"),
    Payload("tab inside the scheme", "script URL", '<a href="java\tscript:alert(1)">x</a>'),
    Payload("bare javascript:", "script URL", "javascript:alert(document.cookie)"),
    Payload(
        "reference-style definition",
        "line-start Markdown",
        "Intro.\n[x]: javascript:alert(1)\n\n[x]",
    ),
    Payload(
        "attr_list braces",
        "attr_list",
        'Intro\n{: onclick="alert(1)" }\n\n# H {#id onclick=alert(1)}',
    ),
    Payload("attr_list inline", "attr_list", "**x**{onclick=alert(1)}"),
    Payload(
        "snippets include",
        "line-start Markdown",
        f'Intro.\n--8<-- "{CANARY_FILE}"\n--8<-- "../{CANARY_FILE}"\n;--8<-- ".env"',
    ),
    Payload(
        "admonition",
        "line-start Markdown",
        'Intro.\n\n!!! danger "Title"\n    <script>alert(1)</script>',
    ),
    Payload("content tabs", "line-start Markdown", 'Intro.\n\n=== "Tab"\n\n    Hidden\n'),
    Payload("ATX heading", "line-start Markdown", "Intro.\n\n# Heading\n## Sub"),
    Payload("setext heading", "line-start Markdown", "Heading\n=======\n"),
    Payload("footnote", "line-start Markdown", "Text[^1]\n\n[^1]: javascript:alert(1)"),
    Payload("abbreviation", "line-start Markdown", "HTML\n\n*[HTML]: <script>alert(1)</script>"),
    Payload(
        "indented code",
        "line-start Markdown",
        "Intro.\n\n    <script>alert(1)</script>\n    code",
    ),
    Payload("fenced code", "line-start Markdown", "```html\n<script>alert(1)</script>\n```"),
    Payload("table", "line-start Markdown", "| a | b |\n|---|---|\n| <b>x</b> | y |"),
    Payload("list and rule", "line-start Markdown", "- item\n* item\n1. item\n\n---\n***"),
    Payload("toc marker", "line-start Markdown", "[TOC]"),
    Payload("markdown attribute", "raw HTML", '<div markdown="1">*x* <b>y</b></div>'),
    Payload("HTML comment breakout", "breakout", "<!-- hide the rest -->x<!--"),
    Payload("div breakout", "breakout", "</p></div></article><script>alert(1)</script>"),
    Payload("attribute breakout", "breakout", '" onmouseover="alert(1)" x="'),
    Payload("single-quote breakout", "breakout", "' onfocus='alert(1)' autofocus '"),
    Payload("title breakout", "breakout", "</title><script>alert(1)</script>"),
    Payload("nav breakout", "breakout", "</a></li><li><a href=javascript:alert(1)>x"),
    Payload("front matter", "breakout", "---\ntitle: pwned\n---\n# pwned"),
    Payload("Jinja expression", "template syntax", "{{ 7*7 }} {{ config }} {{ ''.__class__ }}"),
    Payload("Jinja statement", "template syntax", '{% include "/etc/passwd" %}{% raw %}'),
    Payload("Jinja comment", "template syntax", "{# c #} {## d ##} {#_statements}"),
    Payload("escaped entity", "entities", "&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
    Payload("Markdown escapes", "entities", "\\<script\\> \\[x\\](y) \\*z\\*"),
    Payload("emphasis and code", "literal text", "**bold** _em_ `code` ~~del~~"),
    Payload("title-safe quote", "title", 'Iran" onmouseover="alert(1)'),
    Payload("title-safe Markdown", "title", "[click](javascript:alert(1)) & R&D **b**"),
    Payload("title-safe Jinja", "title", "{{ 7*7 }} {% if 1 %}"),
    Payload("right-to-left text", "literal text", "مرحبا שלום 😀 Ω ﷺ"),
    Payload("YAML 1.1 scalars", "YAML 1.1 types", "NO yes on off ~ null 0755 0x1F 1:30 1e3 .inf"),
]


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _block(value: str, indent: int) -> str:
    """A YAML literal block scalar, so line-start syntax really starts lines in the file."""
    pad = " " * indent
    return "|-\n" + "\n".join(pad + line if line else "" for line in value.split("\n"))


# The sentence of the hostile source that prints the figures' number.
FIGURE_LINE = "The figure is 240."


def corpus() -> dict[str, str]:
    """The sheets and source text carrying every payload in every field."""
    files: dict[str, str] = {}
    lines = []
    for number, payload in enumerate(PAYLOADS):
        text, folded = payload.text, payload.folded
        n = f"{number:02d}"
        title = f"Payload {n} {folded}" if payload.is_title else f"Payload {n}"
        label = f" [[china|{text}]]" if payload.is_label else ""
        lines.append(folded)
        title_lists = f"aliases: [{_quoted(folded)}]\ntags: [{_quoted(folded)}]\n"
        files[f"content/actors/p{n}.yaml"] = (
            f"id: p{n}\nname: {_quoted(title)}\ntype: group\n"
            + (title_lists if payload.is_title else "")
            + f"summary: {_block(text, 2)}\n"
            + f"role: {_quoted(text)}\n"
            + f"interests: [{_quoted(text)}]\n"
            + "statements:\n"
            + "  - id: s\n"
            + f"    text: {_block(text, 6)}\n"
            + "    kind: quote\n"
            + f"    attributed_to: {_quoted(text)}\n"
            + "    source: hostile\n"
            + f"    quote: {_quoted(text)}\n"
            + f"    note: {_quoted('See' + label)}\n"
            # A figure's number must be printed in its quote: a statement of its own.
            + "  - id: n\n"
            + f"    text: {FIGURE_LINE}\n"
            + "    kind: reported\n"
            + "    source: hostile\n"
            + f"    quote: {FIGURE_LINE}\n"
            + "    figures:\n"
            # A figure's value must be a quantity (check refuses markup there); its unit and
            # period still carry the payload.
            + "      - value: '240'\n"
            + f"        unit: {_quoted(folded)}\n"
            + f"        what: {_quoted(text)}\n"
            + f"        period: {_quoted(folded)}\n"
        )
        # A summary restates its sheet's statements (check's restatement rule): each sheet
        # quotes the payload as the source prints it.
        quoted = (
            f"statements:\n  - id: s\n    text: {_block(text, 6)}\n    kind: reported\n"
            f"    source: hostile\n    quote: {_quoted(text)}\n"
        )
        files[f"content/events/e{n}.yaml"] = (
            f"id: e{n}\ntitle: {_quoted(title)}\ndate: '2024-10'\n"
            f"summary: {_quoted(text)}\ndate_note: {_quoted(text)}\nactors: [p{n}]\n{quoted}"
        )
        files[f"content/relations/r{n}.yaml"] = (
            f"id: r{n}\ntitle: {_quoted(title)}\nsummary: {_block(text, 2)}\n"
            f"actors: [p{n}, china]\ntypes: [trade]\n{quoted}"
        )
        section = _quoted(title if payload.is_title else "Section")
        files[f"content/briefings/b{n}.yaml"] = (
            f"id: b{n}\ntitle: {_quoted(title)}\nsummary: {_quoted(text)}\n"
            f"bluf: {_block(text, 2)}\nkey_judgments: [p{n}#s]\n"
            f"sections:\n  - title: {section}\n    text: {_quoted(text)}\n"
            f"    refs: [p{n}, p{n}#s]\n"
        )
    files["content/sources/hostile.txt"] = "\n".join([*lines, FIGURE_LINE]) + "\n"
    excluded = "".join(
        f"  - quote: {_quoted(p.text)}\n    reason: {_quoted(p.folded)}\n" for p in PAYLOADS[:10]
    )
    files["content/sources/hostile.yaml"] = (
        "id: hostile\ntitle: Hostile source\nsummary: Every payload, as a source would print it.\n"
        'text: hostile.txt\npublication:\n  author: "A. Author & Co"\n'
        '  url: "https://example.org/a?b=1&c=<script>#\\"onmouseover=\\"alert(1)"\n'
        f"excluded:\n{excluded}"
    )
    # A sheet whose plain (unquoted) scalars YAML 1.1 would have typed.
    files["content/actors/norway.yaml"] = (
        "id: norway\nname: NO\ntype: state\n"
        "aliases: [yes, no, on, off, y, n, true, ~, null, 0755, 0x1F, 1:30, 1e3, .inf, 2024-02-30]\n"
        "summary: 0o755\nrole: 12:30:00\ntags: [NO, Yes]\n"
    )
    return files


YAML_11_ALIASES = "yes, no, on, off, y, n, true, ~, null, 0755, 0x1F, 1:30, 1e3, .inf, 2024-02-30"
