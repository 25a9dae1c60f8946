"""Editors' tools: new sheets, JSON Schemas, fact-level diffs, GitHub annotations and summaries."""
