"""Pytest hooks and fixtures; the builders they use live in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chromium import Browser, Page, chromium_binary

from briefing.present.places import PRINT_ENGINES
from briefing.project import Project
from tests.helpers import ROOT


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the output"
    )


@pytest.fixture(scope="module", params=PRINT_ENGINES)
def print_engine(request: pytest.FixtureRequest) -> str:
    """Each print engine in turn: both lay out the same print HTML, and their PDFs must read
    alike (tests/test_pdf*.py)."""
    return str(request.param)


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project (its content, templates and mkdocs.yml) built once into tmp."""
    from briefing.pipeline import build_site

    site = tmp_path_factory.mktemp("project-site") / "site"
    build_site(Project(ROOT), site)
    return site


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, one per test module (modules using it skip without it)."""
    binary = chromium_binary()
    assert binary is not None
    running = Browser(binary)
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A new tab, closed after the test."""
    tab = browser.new_page()
    try:
        yield tab
    finally:
        tab.close()
