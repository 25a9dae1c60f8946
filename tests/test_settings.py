"""content/corpus.yaml: the corpus settings, validated, located and linked like any sheet."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.model.errors import ContentError
from briefing.pipeline import build_site
from tests.helpers import make_corpus

S = "content/corpus.yaml"
BRIEFING = """\
    id: aaa
    title: A briefing
    summary: A briefing.
    bluf: Its bottom line.
    key_judgments: [china#trade]
    """


@pytest.mark.parametrize(
    ("settings", "messages"),
    [
        (
            "title: T\nintor: Hello.\n",
            [f"{S}:2:1: unknown field 'intor' in corpus settings (did you mean 'intro'?)"],
        ),
        ("lead: aab\n", [f"{S}:1:7: unknown reference 'aab' (did you mean 'aaa'?)"]),
        ("lead: china\n", [f"{S}:1:7: 'china' is a actor, but this field names a briefing"]),
        ("lead: aaa#x\n", [f"{S}:1:7: 'lead' must name a sheet, without '#'"]),
        (
            "order: [aaa, aaa]\n",
            [f"{S}:1:14: 'aaa' is listed twice in 'order' (first at line 1)"],
        ),
        (
            "intro: See [[nowhere]].\n",
            [
                f"{S}:1:8: unknown reference 'nowhere': no sheet has this id yet; write it "
                "with `briefing new KIND nowhere` (KIND: briefing, actor, relation, event, "
                "source), or correct the id"
            ],
        ),
        (
            "title: A <b>title</b>\n",
            [f"{S}:1:8: 'title' must not contain '<', '>' or HTML entities"],
        ),
        (
            "- a list\n",
            [f"{S}:1:1: a sheet must be a mapping of fields ('key: value' lines), not a list"],
        ),
    ],
)
def test_bad_settings_are_located(tmp_path: Path, settings: str, messages: list[str]) -> None:
    files: dict[str, str | bytes] = {S: settings, "content/briefings/aaa.yaml": BRIEFING}
    with pytest.raises(ContentError) as error:
        check(make_corpus(tmp_path, files))
    assert [str(p) for p in error.value.problems] == messages


def test_settings_reach_the_corpus(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        S: "title: T\nintro: Hello.\nlead: aaa\norder: [aaa]\n",
        "content/briefings/aaa.yaml": BRIEFING,
    }
    settings = check(make_corpus(tmp_path, files)).corpus.settings
    assert (settings.title, settings.intro and settings.intro.value) == ("T", "Hello.")
    assert settings.lead is not None and settings.lead.target == "aaa"
    assert [r.target for r in settings.order] == ["aaa"]


def test_without_settings_the_defaults_apply(tmp_path: Path) -> None:
    settings = check(make_corpus(tmp_path)).corpus.settings
    assert (settings.title, settings.intro, settings.lead, settings.order) == (None, None, None, ())


def test_the_site_name_follows_the_title(tmp_path: Path) -> None:
    project = make_corpus(tmp_path, {S: "title: Harbour notes\n"})
    build_site(project, project.root / "site")
    home = (project.root / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Home - Harbour notes</title>" in home
    # The home page's heading names the corpus too, not the tool.
    assert '<h1 id="harbour-notes">Harbour notes<a class="headerlink"' in home
