"""The benchmark's report: the Markdown table and the issue's targets, from bench rows."""

from __future__ import annotations

from typing import Any

from briefing.bench.run import STAGES


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def table(rows: list[dict[str, Any]]) -> str:
    """The results as a Markdown table, one line per size."""
    head = (
        "| sheets | check s | stages sheets/s | load | validate | link | verify | render "
        "| site s | ms/sheet | plain s | site/plain | pdf s | peak MiB | KiB/page "
        "| plain KiB/page |"
    )
    lines = [head, "|" + "---:|" * (head.count("|") - 1)]
    for row in rows:
        n, stages, site = row["sheets"], row["stages"]["stages"], row["site"]
        per_stage = [n / stages[s] for s in STAGES]
        plain = row.get("plain")
        pdf = row.get("pdf")
        cells = [
            f"{n:,}",
            _fmt(row["check"]["seconds"]),
            _fmt(n / row["stages"].get("together", sum(stages.values())), 0),
            *(_fmt(v, 0) for v in per_stage),
            _fmt(site["seconds"]),
            _fmt(1000 * site["seconds"] / n, 1),
            _fmt(plain["seconds"]) if plain else "skipped",
            _fmt(site["seconds"] / plain["seconds"]) if plain else "–",
            "n/a" if pdf is None else "skipped" if "skipped" in pdf else _fmt(pdf["seconds"]),
            _fmt(max(row[m]["peak_mib"] for m in ("check", "stages", "site")), 0),
            _fmt(site["html_bytes"] / site["pages"] / 1024, 1),
            _fmt(plain["html_bytes"] / plain["pages"] / 1024, 1) if plain else "–",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(rows: list[dict[str, Any]]) -> list[str]:
    """The issue's targets: measured (wall, and CPU in brackets), then PASS, FAIL or n/a."""
    by_n = {row["sheets"]: row for row in rows}

    def get(n: int, *keys: str) -> Any:
        value: Any = by_n.get(n)
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    def ratio(a: float | None, b: float | None) -> float | None:
        return a / b if a is not None and b else None

    def rates(key: str) -> dict[str, float]:
        stages = get(3000, "stages", key) or {}
        return {name: 3000 / seconds for name, seconds in stages.items() if seconds}

    wall, cpu = rates("stages"), rates("stages_cpu")
    slowest = min(wall, key=wall.__getitem__) if wall else ""
    # All five as a build runs them (older results: the sum of the stages taken one by one).
    together = [
        ratio(3000, get(3000, "stages", key) or sum(get(3000, "stages", laps).values()))
        if wall
        else None
        for key, laps in (("together", "stages"), ("together_cpu", "stages_cpu"))
    ]
    checks = [  # what, (wall, cpu), limit, True if the value must stay at or below the limit
        ("generator stages at 3,000 sheets, all five, sheets/s", together, 2000, False),
        (
            f"each stage at 3,000 sheets, slowest ({slowest or 'n/a'}), sheets/s",
            (wall.get(slowest), cpu.get(slowest)),
            2000,
            False,
        ),
        (
            "check at 1,000 sheets, s",
            (get(1000, "check", "seconds"), get(1000, "check", "cpu")),
            1.0,
            True,
        ),
        (
            "site build cost per sheet, 3,000 / 300",
            [
                ratio(ratio(get(3000, "site", k), 3000), ratio(get(300, "site", k), 300))
                for k in ("seconds", "cpu")
            ],
            1.3,
            True,
        ),
        (
            "site build / plain full-nav build at 1,000 sheets",
            [ratio(get(1000, "site", k), get(1000, "plain", k)) for k in ("seconds", "cpu")],
            0.6,
            True,
        ),
        (
            "peak memory at 3,000 sheets, MiB",
            (
                max((get(3000, m, "peak_mib") or 0 for m in ("check", "stages", "site")), default=0)
                or None,
                None,
            ),
            1024,
            True,
        ),
        (
            "HTML bytes per page, 3,000 / 100 sheets (flat)",
            (ratio(_page_bytes(by_n.get(3000)), _page_bytes(by_n.get(100))), None),
            1.1,
            True,
        ),
    ]
    lines = []
    for what, (value, cpu_value), limit, below in checks:
        verdict = "n/a" if value is None else "PASS" if (value <= limit) == below else "FAIL"
        on_cpu = f" (CPU {_fmt(cpu_value)})" if cpu_value is not None else ""
        sign = "<=" if below else ">="
        lines.append(f"- {what}: {_fmt(value)}{on_cpu}; target {sign} {limit:g}: {verdict}")
    return lines


def _page_bytes(row: dict[str, Any] | None) -> float | None:
    return row["site"]["html_bytes"] / row["site"]["pages"] if row else None


def report(rows: list[dict[str, Any]]) -> str:
    """The table and the target lines, as printed by `build.py bench`."""
    return "\n".join([table(rows), "", *targets(rows)]) + "\n"
