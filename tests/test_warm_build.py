"""A build that takes its PDFs from the cache writes the same site, byte for byte, as a cold
build (briefing.pipeline with briefing.pdf.cache)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.pdf import layout
from briefing.pdf.cache import CACHE_ENV
from briefing.pipeline import PdfOptions, build_site
from tests.helpers import make_corpus, snapshot
from tests.small_corpus import EXTRA


def test_a_cached_build_equals_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = make_corpus(tmp_path, EXTRA)
    monkeypatch.setenv(CACHE_ENV, "off")
    build_site(project, tmp_path / "cold", PdfOptions(jobs=1))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    build_site(project, tmp_path / "filling", PdfOptions(jobs=1))
    laid_out: list[str] = []
    render_all = layout.render_all

    def recording(project: object, css: str, htmls: dict[str, str], *args: object) -> object:
        laid_out.extend(htmls)
        return render_all(project, css, htmls, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(layout, "render_all", recording)
    build_site(project, tmp_path / "warm", PdfOptions(jobs=1))
    assert laid_out == []  # every PDF from the cache
    cold, warm = snapshot(tmp_path / "cold"), snapshot(tmp_path / "warm")
    assert any(name.endswith(".pdf") for name in cold)
    assert sorted(cold) == sorted(warm)
    assert [name for name in cold if cold[name] != warm[name]] == []
