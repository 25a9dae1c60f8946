"""Pytest hooks and fixtures; the builders they use live in tests/helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.project import Project
from tests.helpers import ROOT


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the output"
    )


@pytest.fixture(scope="session")
def project_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real project (its content, templates and mkdocs.yml) built once into tmp."""
    from briefing.pipeline import build_site

    site = tmp_path_factory.mktemp("project-site") / "site"
    build_site(Project(ROOT), site)
    return site
