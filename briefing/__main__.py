"""`python -m briefing COMMAND`."""

from briefing.cli import main

raise SystemExit(main())
