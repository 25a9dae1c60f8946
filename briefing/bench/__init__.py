"""The benchmark and its synthetic corpora, off the build path."""
