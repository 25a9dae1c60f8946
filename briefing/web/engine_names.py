"""The site engines' names, for `briefing build --engine`: the command line lists them
without importing the engines (MkDocs and its plugins), which `briefing check` never uses.
briefing.web.engines maps each name to its engine."""

ENGINE_NAMES = ("mkdocs", "properdocs", "zensical")
DEFAULT_ENGINE = "mkdocs"
