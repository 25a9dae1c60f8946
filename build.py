"""`python build.py COMMAND` is `briefing COMMAND`: a shim kept because the design card names it."""
from briefing.cli import main

raise SystemExit(main())
