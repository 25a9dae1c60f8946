#!/bin/sh
# Rerun the whole measurement: export, then RUNS rounds of the five benches (each a fresh
# process: Typst func, compiler, book, Typst walking the print HTML, then WeasyPrint), the
# summary, the hostile-string check.
# The results of an earlier run in OUT/results/ are deleted first.
#
#   bench/typst/run.sh [PROJECT [OUT]]        defaults: /tmp/typst-w1k /tmp/typst-bench
#
# Environment: RUNS (3), LIMIT (0: every briefing; 3 for a smoke run),
# TYPST_PYTHON (/tmp/typst-venv/bin/python). The project's venv is this checkout's .venv.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PROJECT=${1:-/tmp/typst-w1k}
OUT=${2:-/tmp/typst-bench}
RUNS=${RUNS:-3}
LIMIT=${LIMIT:-0}
PY="$REPO/.venv/bin/python"
TPY=${TYPST_PYTHON:-/tmp/typst-venv/bin/python}

"$PY" "$HERE/export.py" --project "$PROJECT" --out "$OUT" --limit "$LIMIT"
"$PY" "$HERE/export_print_html.py" --project "$PROJECT" --out "$OUT"
rm -f "$OUT"/results/*.json
run=1
while [ "$run" -le "$RUNS" ]; do
  for mode in func compiler walk book; do
    "$TPY" "$HERE/bench_typst.py" --out "$OUT" --mode "$mode" --run "$run"
  done
  "$PY" "$HERE/bench_weasy.py" --project "$PROJECT" --out "$OUT" --run "$run"
  run=$((run + 1))
done
"$TPY" "$HERE/summarize.py" --out "$OUT"
"$TPY" "$HERE/hostile.py" --out "$OUT"
