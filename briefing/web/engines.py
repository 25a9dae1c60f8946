"""Site engines: the registry briefing.pipeline builds through, and the staged-folder builds.

`briefing build --engine NAME` picks one of ENGINES; all of them build the same rendered pages
into the build's staging folder, which the pipeline then inspects and publishes:

- mkdocs (default): MkDocs 1.6 in this process, the pages added in memory by briefing's
  plugin (briefing.web.site.mkdocs_build);
- properdocs, zensical: the pages staged (briefing.web.stage) into a folder beside the
  staging folder, built there by the engine's command, and moved into the staging folder
  (build_staged). ProperDocs 1.6.7 is a fork of MkDocs 1.x; importing it replaces the
  `mkdocs` module in sys.modules, so it always runs as its own process. Zensical runs no
  hooks: it can only build a staged folder.

Both are installed by requirements.txt, beside the pinned MkDocs. measure() reads the
facts docs/engines.md compares.

    python -m briefing.web.engines DIR     stage into DIR, build it with every engine found,
                                           print one line of facts per engine
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from briefing.model.errors import BriefingError, SiteBuildError
from briefing.project import Project
from briefing.web.site import InspectAsBuilt, mkdocs_build
from briefing.web.stage import stage_config, write_stage

# Banners both forks print about MkDocs 2 and Material's end of life; not build problems.
QUIET_ENV = {"DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}
# Lines of an engine's output quoted in the error when it fails.
TAIL = 20


class EngineMissing(BriefingError):
    """An engine's command is not installed where briefing looks for it."""


@dataclass(frozen=True)
class EngineBuild:
    """One engine's build of a site: which engine, where the site is, and how long it took."""

    engine: str
    site: Path
    seconds: float


@dataclass(frozen=True)
class SiteFacts:
    """What docs/engines.md compares: HTML pages, total size and the search index's size."""

    html_pages: int
    size_bytes: int
    search_index: str
    search_index_bytes: int


def find_executable(name: str) -> Path:
    """The engine's command: $BRIEFING_<NAME>, else beside this Python (requirements.txt
    installs it there), else on PATH."""
    override = os.environ.get(f"BRIEFING_{name.upper()}")
    candidates = [Path(override)] if override else []
    candidates.append(Path(sys.executable).parent / name)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found:
        return Path(found)
    raise EngineMissing(
        f"{name} is not installed: run `make` (requirements.txt installs it), or set "
        f"BRIEFING_{name.upper()} to its command"
    )


def _run(engine: str, command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Run an engine's build; its seconds, or SiteBuildError with the end of its output."""
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **QUIET_ENV, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()[-TAIL:]
        raise SiteBuildError(f"{engine} exited with {result.returncode}:\n" + "\n".join(output))
    return seconds


def build_mkdocs(staged: Path, out: Path) -> EngineBuild:
    """Plain MkDocs (no hook) on the staged folder, with the Python that runs briefing."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(out)]
    return EngineBuild("mkdocs", out, _run("mkdocs", command, staged))


def build_properdocs(staged: Path, out: Path) -> EngineBuild:
    """ProperDocs on the staged folder; --strict: a warning (a broken link) fails it."""
    exe = str(find_executable("properdocs"))
    command = [exe, "build", "-q", "--strict", "-f", "mkdocs.yml", "-d", str(out)]
    return EngineBuild("properdocs", out, _run("properdocs", command, staged))


def build_properdocs_hooked(project: Project, out: Path) -> EngineBuild:
    """ProperDocs on the project's own mkdocs.yml, running briefing's MkDocs hook unchanged
    (which checks and renders the content itself, as for `mkdocs build`).

    The hook imports briefing: the folder holding this package goes on PYTHONPATH, in case
    ProperDocs' Python has not installed briefing.
    """
    exe = str(find_executable("properdocs"))
    command = [exe, "build", "-q", "-f", "mkdocs.yml", "-d", str(out)]
    package_parent = str(Path(__file__).resolve().parents[2])
    path = os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")]))
    seconds = _run("properdocs", command, project.root, {"PYTHONPATH": path})
    return EngineBuild("properdocs+hook", out, seconds)


def build_zensical(staged: Path, out: Path, clean: bool = True) -> EngineBuild:
    """Zensical on the staged folder; clean=False keeps its cache (a warm build).

    Zensical has no option for the output folder: it builds into site_dir (DIR/site), which
    is then moved to out.
    """
    exe = str(find_executable("zensical"))
    built = staged / "site"
    if built.exists():
        shutil.rmtree(built)
    command = [exe, "build", "-f", "mkdocs.yml", *(["-c"] if clean else [])]
    seconds = _run("zensical", command, staged)
    if out.resolve() != built.resolve():
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(built, out)
    return EngineBuild("zensical", out, seconds)


def measure(site: Path) -> SiteFacts:
    """Count the HTML pages and bytes of a built site, and find its search index."""
    files = [p for p in site.rglob("*") if p.is_file()]
    # The site's own: Pagefind's bundle (briefing/web/search.py), counted whole though a query
    # loads a small part of it; Zensical 0.0.x also writes its built-in search.json.
    pagefind = site / "pagefind"
    if pagefind.is_dir():
        return SiteFacts(
            html_pages=sum(1 for p in files if p.suffix == ".html"),
            size_bytes=sum(p.stat().st_size for p in files),
            search_index="pagefind/",
            search_index_bytes=sum(p.stat().st_size for p in pagefind.rglob("*") if p.is_file()),
        )
    index = next(
        (
            site / name
            for name in ("search/search_index.json", "search.json")
            if (site / name).is_file()
        ),
        None,
    )
    return SiteFacts(
        html_pages=sum(1 for p in files if p.suffix == ".html"),
        size_bytes=sum(p.stat().st_size for p in files),
        search_index=index.relative_to(site).as_posix() if index else "",
        search_index_bytes=index.stat().st_size if index else 0,
    )


STAGED_ENGINES: dict[str, Callable[[Path, Path], EngineBuild]] = {
    "mkdocs": build_mkdocs,
    "properdocs": build_properdocs,
    "zensical": build_zensical,
}


class Engine(Protocol):
    """Builds the rendered pages (docs-relative path -> Markdown) and docs/ into out, and
    returns every problem it reports; inspector: told of pages as they are written, if the
    engine can (MkDocs), else it inspects the whole site at the end."""

    def __call__(
        self,
        project: Project,
        pages: Mapping[str, str],
        out: Path,
        inspector: InspectAsBuilt,
        verbose: bool = False,
    ) -> list[str]: ...


def build_staged(engine: str, project: Project, pages: Mapping[str, str], out: Path) -> list[str]:
    """Stage pages in a folder beside out, build it with engine's command, move the site into
    out (an empty folder); the engine's failure as messages.

    Beside out, not in it: the staged Markdown must not be published. Zensical also refuses
    a site_dir outside its project folder, so each engine builds into the stage's own site/.
    """
    # Named after out (publish.staged's '.site-build-*'), so it reads as part of that build.
    with tempfile.TemporaryDirectory(prefix=f"{out.name}-stage-", dir=out.parent) as temp:
        folder = Path(temp) / "stage"
        write_stage(project, folder, dict(pages), stage_config(project))
        built = folder / "site"
        try:
            STAGED_ENGINES[engine](folder, built)
        except BriefingError as error:  # EngineMissing too: a build without a site fails
            return [f"error: {error}"]
        for item in sorted(built.iterdir()):
            item.rename(out / item.name)  # one file system: no copy
    return []


def _staged_engine(name: str) -> Engine:
    def run(
        project: Project,
        pages: Mapping[str, str],
        out: Path,
        inspector: InspectAsBuilt,
        verbose: bool = False,
    ) -> list[str]:
        return build_staged(name, project, pages, out)

    return run


# `briefing build --engine NAME` (briefing.web.engine_names lists the names, for the CLI).
ENGINES: dict[str, Engine] = {
    "mkdocs": mkdocs_build,
    "properdocs": _staged_engine("properdocs"),
    "zensical": _staged_engine("zensical"),
}


def main(argv: list[str] | None = None) -> int:
    """Stage the project in the current folder into DIR, build it with every engine found."""
    from briefing.forked import usable_cores
    from briefing.web.stage import stage

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m briefing.web.engines DIR", file=sys.stderr)
        return 2
    project = Project(Path.cwd())
    folder = Path(args[0]).resolve()
    staged = stage(project, folder, usable_cores())
    print(f"staged {staged.generated} generated and {staged.handwritten} hand-written pages")
    for name, build in STAGED_ENGINES.items():
        try:
            done = build(folder, folder.parent / f"{folder.name}-{name}")
        except EngineMissing as missing:
            print(f"{name}: skipped: {missing}")
            continue
        facts = measure(done.site)
        print(
            f"{name}: {done.seconds:.2f} s, {facts.html_pages} HTML pages, "
            f"{facts.size_bytes / 1024:.0f} KiB, {facts.search_index} "
            f"{facts.search_index_bytes / 1024:.0f} KiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
