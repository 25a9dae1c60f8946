"""The data files a build publishes (site-relative path -> text), and writing them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from briefing.check.verify import Checked
from briefing.data import facts, schema
from briefing.data.annotations import ANNOTATIONS, annotations_jsonld
from briefing.data.annotations import forget as forget_annotations


def data_files(checked: Checked) -> dict[str, str]:
    """facts.json, its schema and annotations.jsonld, by where the site publishes them."""
    return {
        facts.FACTS: facts.facts_json(checked),
        facts.SCHEMA: facts.dumps(schema.facts_schema()),
        ANNOTATIONS: annotations_jsonld(checked),
    }


def write_data(checked: Checked, folder: Path) -> None:
    """Write the data files into a built site or a staged docs folder, once: what making
    them remembered for the next time (the live preview's saves) is let go of."""
    write_data_files(data_files(checked), folder)


def write_data_files(files: Mapping[str, str], folder: Path) -> None:
    """Write data files (data_files' result, made here or in a forked process) into folder;
    then let go of what making them remembered."""
    for path, text in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    facts.forget()
    forget_annotations()
