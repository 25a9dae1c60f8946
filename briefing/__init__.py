"""briefing: sourced YAML fact sheets -> a cross-linked briefing site and PDFs."""
