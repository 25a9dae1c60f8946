"""The hostile-input corpus: cases shared by the tests/test_hostile*.py suites."""
