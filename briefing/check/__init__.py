"""Checking the content: load, validate, link, verify, coverage, and the check stage in order."""
