"""`python -m briefing COMMAND`."""

from briefing.cli import run

run()
