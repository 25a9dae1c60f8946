"""scripts/system-deps.sh installs every Debian package whose libraries a PDF build loads.

A subprocess records the shared objects the interpreter has mapped (after importing every
stdlib extension module), then lays out a PDF with WeasyPrint and one with Typst in the
project's fonts, and lists what it mapped since. Each new library must belong to a package the site list names,
or to one of their dependencies, or come with a Python wheel; a library that is on this
machine only because the test packages (Chromium) pulled it in fails the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("dpkg") is None,
    reason="needs a dpkg-based Linux (Debian, Ubuntu): no dpkg on this machine",
)

SCRIPT = ROOT / "scripts" / "system-deps.sh"

PROBE = r"""
import importlib, importlib.util, json, re, sys

def shared_objects():
    found = set()
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            fields = line.split(maxsplit=5)
            if len(fields) == 6 and fields[5].startswith("/"):
                path = fields[5].strip()
                if re.search(r"\.so(\.[0-9.]+)?$", path):
                    found.add(path)
    return found

# The interpreter's own libraries: every stdlib extension module, imported before WeasyPrint.
for name in sorted(sys.stdlib_module_names):
    try:
        spec = importlib.util.find_spec(name)
        if spec and spec.origin and spec.origin.endswith(".so") and name != "_tkinter":
            importlib.import_module(name)
    except Exception:
        pass
baseline = shared_objects()

from weasyprint import CSS, HTML

css = open(sys.argv[1], encoding="utf-8").read()
html = (
    "<h1>Briefing</h1><p>Trade reached a record $240 billion last year.</p>"
    "<p class='bf-target'>china#trade</p><p style='font-family: \"DejaVu Sans Mono\"'>mono</p>"
    "<p style='font-family: \"DejaVu Sans\"'><b>Sans</b> text</p>"
)
data = HTML(string=html).write_pdf(stylesheets=[CSS(string=css)])
assert data.startswith(b"%PDF"), data[:8]
# The other print engine, Typst (briefing/pdf/typeset.py), in the same fonts.
import typst
source = '#set text(font: "DejaVu Serif")\nTrade. #text(font: "DejaVu Sans")[*Sans*]'
data, warnings = typst.compile_with_warnings(source.encode(), format="pdf")
assert data.startswith(b"%PDF") and not warnings, warnings
print(json.dumps({
    "loaded": sorted(shared_objects() - baseline),
    "prefixes": sorted({sys.prefix, sys.base_prefix}),
}))
"""

# sys.base_prefix is /usr for Debian's Python: allowing it would let any unpackaged library in.
SYSTEM_PREFIXES = {"/", "/usr"}


def site_packages() -> list[str]:
    """What scripts/system-deps.sh --list prints (the site alone, without --tests)."""
    listed = subprocess.run(
        ["bash", str(SCRIPT), "--list"], capture_output=True, text=True, check=True
    )
    return listed.stdout.split()


def probe() -> tuple[list[str], list[str]]:
    """The shared objects a WeasyPrint layout loaded beyond the interpreter's, and its prefixes."""
    css = ROOT / "templates" / "print" / "print.css"
    ran = subprocess.run(
        [sys.executable, "-c", PROBE, str(css)], capture_output=True, text=True, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout.splitlines()[-1])
    return result["loaded"], result["prefixes"]


def candidates(path: str) -> list[str]:
    """The path, its resolved target, and their usr-merge twins (/lib/... and /usr/lib/...)."""
    found: list[str] = []
    for name in (path, os.path.realpath(path)):
        twin = name.removeprefix("/usr") if name.startswith("/usr/") else "/usr" + name
        for option in (name, twin):
            if option not in found:
                found.append(option)
    return found


def owner(path: str) -> list[str]:
    """The Debian packages owning path (empty when none does)."""
    for name in candidates(path):
        ran = subprocess.run(["dpkg", "-S", name], capture_output=True, text=True)
        for line in ran.stdout.splitlines():
            packages, _, owned = line.partition(": ")
            if owned == name and not packages.startswith("diversion by"):
                return sorted({p.strip().split(":")[0] for p in packages.split(",")})
    return []


def installed() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Every installed package -> the names it depends on (any alternative), and virtual
    names -> the installed packages providing them."""
    query = "${db:Status-Status}\t${Package}\t${Depends}, ${Pre-Depends}\t${Provides}\n"
    listed = subprocess.run(["dpkg-query", "-W", "-f", query], capture_output=True, text=True)
    depends: dict[str, set[str]] = {}
    provides: dict[str, set[str]] = {}
    for line in listed.stdout.splitlines():
        status, package, needs, offers = line.split("\t")
        if status != "installed":
            continue
        depends.setdefault(package, set()).update(names(needs))
        for virtual in names(offers):
            provides.setdefault(virtual, set()).add(package)
    return depends, provides


def names(field: str) -> set[str]:
    """Package names in a Depends-like field: alternatives, versions and :any dropped."""
    found = set()
    for alternative in re.split(r"[,|]", field):
        name = re.sub(r"\(.*?\)|\[.*?\]|<.*?>", "", alternative).strip().split(":")[0]
        if name:
            found.add(name)
    return found


def closure(roots: list[str]) -> set[str]:
    """roots and every installed package they depend on, recursively."""
    depends, provides = installed()
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(depends.get(name, ()))
        todo.extend(provides.get(name, ()))
    return seen


def unlisted(loaded: list[str], prefixes: list[str], wanted: list[str]) -> list[str]:
    """Every loaded library that neither wanted's closure nor a Python wheel accounts for."""
    allowed = closure(wanted)
    kept = [p for p in prefixes if p not in SYSTEM_PREFIXES]
    roots = {os.path.join(place, "") for p in kept for place in (p, os.path.realpath(p))}
    problems = []
    for path in loaded:
        packages = owner(path)
        if not packages:
            places = {path, os.path.realpath(path)}
            if not any(place.startswith(root) for place in places for root in roots):
                problems.append(f"{path}: owned by no Debian package and not in {prefixes}")
        elif not allowed.intersection(packages):
            problems.append(
                f"{path}: from {', '.join(packages)}, which scripts/system-deps.sh does not "
                "install (nor a dependency of what it installs)"
            )
    return problems


@pytest.fixture(scope="module")
def loaded() -> tuple[list[str], list[str]]:
    return probe()


def test_the_site_list_accounts_for_every_library_a_pdf_build_loads(
    loaded: tuple[list[str], list[str]],
) -> None:
    libraries, prefixes = loaded
    assert any("libpango-1.0.so" in path for path in libraries), libraries  # it measured
    subset = [path for path in libraries if "libharfbuzz-subset.so" in path]
    assert subset, (
        "WeasyPrint loaded no libharfbuzz-subset (it falls back to fontTools); "
        "run scripts/system-deps.sh"
    )
    problems = unlisted(libraries, prefixes, site_packages())
    assert problems == [], "\n".join(problems)


def test_a_package_missing_from_the_list_is_named(loaded: tuple[list[str], list[str]]) -> None:
    libraries, prefixes = loaded
    subset = [path for path in libraries if "libharfbuzz-subset.so" in path]
    wanted = [name for name in site_packages() if name != "libharfbuzz-subset0"]
    assert unlisted(libraries, prefixes, wanted) == [
        f"{path}: from libharfbuzz-subset0, which scripts/system-deps.sh does not install "
        "(nor a dependency of what it installs)"
        for path in subset
    ]
    venv_only = ["/usr/lib/x86_64-linux-gnu/libnot-a-real-library.so.1"]
    assert unlisted(venv_only, prefixes, wanted) == [
        f"{venv_only[0]}: owned by no Debian package and not in {prefixes}"
    ]


def test_list_prints_the_packages_and_installs_nothing() -> None:
    site = site_packages()
    assert "libharfbuzz-subset0" in site and "fonts-dejavu-core" in site
    assert "chromium" not in site
    both = subprocess.run(
        ["bash", str(SCRIPT), "--tests", "--list"], capture_output=True, text=True, check=True
    )
    assert both.stdout.split() == [*site, "chromium", "poppler-utils"]
    wrong = subprocess.run(["bash", str(SCRIPT), "--frob"], capture_output=True, text=True)
    assert wrong.returncode == 2
    assert wrong.stderr == (
        "error: unknown option '--frob'; usage: scripts/system-deps.sh [--tests] [--list]\n"
    )


def test_a_missing_package_without_root_is_a_clear_error(tmp_path: Path) -> None:
    # A dpkg-query that knows no package, and an id that is not root: nothing is installed.
    for name, body in {"dpkg-query": "exit 1", "id": "echo 1000", "apt-get": "exit 99"}.items():
        (tmp_path / name).write_text(f"#!/bin/sh\n{body}\n")
        (tmp_path / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    ran = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, env=env)
    packages = " ".join(site_packages())
    assert ran.returncode == 1
    assert ran.stdout == f"installing Debian packages: {packages}\n"
    assert ran.stderr == f"error: run as root, or install them first: apt-get install {packages}\n"
