"""`python build.py COMMAND` is `briefing COMMAND` for the project beside this file: a shim."""

from briefing.cli import run

run(next_to=__file__)
