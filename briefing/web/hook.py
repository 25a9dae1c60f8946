"""The hook mkdocs.yml names, for `briefing serve` and a plain `mkdocs build`: the site's
plugin (briefing.web.plugin), checking and rendering the content itself.

`briefing build` does not load this file: it registers a plugin holding the pages it has
already rendered (briefing.pipeline).
"""

from __future__ import annotations

from briefing.web.plugin import SitePages

_SITE = SitePages()
on_startup = _SITE.on_startup
on_config = _SITE.on_config
on_files = _SITE.on_files
on_page_markdown = _SITE.on_page_markdown
on_page_content = _SITE.on_page_content
on_env = _SITE.on_env
on_page_context = _SITE.on_page_context
