"""The printed table of a benchmark run, and the issue's goals checked against it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks.measure import median

MB = 1024 * 1024
TEN_K, FIFTY_K = 10_000, 50_000
"""The goals name sizes: the rebuild and latency goals are the 10k site's."""
Row = tuple[str, float | None, float | None, str]


def _runs(results: dict[str, Any], key: str, field: str) -> float | None:
    runs = results["builds"].get(key)
    return median([r[field] for r in runs]) if runs else None


def _fmt(value: float | None, unit: str) -> str:
    if value is None or value != value:
        return "-"
    if unit == "%":
        return f"{value * 100:.1f}%"
    if unit in ("files", "n"):
        return f"{value:,.0f}"
    return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"


def _ratio(ours: float | None, theirs: float | None, unit: str) -> str:
    if ours is None or theirs is None or unit == "%" or not theirs:
        return ""
    return f"{ours / theirs:.2f}"


def build_rows(results: dict[str, Any]) -> list[Row]:
    def both(key: str, field: str, scale: float = 1) -> tuple[float | None, float | None]:
        ours, theirs = _runs(results, f"ours_{key}", field), _runs(results, f"peer_{key}", field)
        return (None if ours is None else ours / scale, None if theirs is None else theirs / scale)

    sizes = results["sizes"]
    peer = sizes.get("peer", {})
    rows: list[Row] = [
        ("cold build incl. search (s)", *both("cold", "seconds"), "s"),
        ("  Hugo alone / Pagefind alone (s)", None, None, "s"),
        ("peak RSS, cold build (MB)", *both("cold", "peak_rss", MB), "MB"),
        ("peak PSS, cold build (MB)", *both("cold", "peak_pss", MB), "MB"),
        ("rebuild after editing 1 project (s)", *both("edit", "seconds"), "s"),
        ("rebuild after adding 1 project (s)", *both("add", "seconds"), "s"),
        ("peak RSS, rebuild (MB)", *both("edit", "peak_rss", MB), "MB"),
        *_preview_rows(results),
        ("output size (MB)", sizes["ours"]["bytes"] / MB,
         peer.get("bytes", 0) / MB if peer else None, "MB"),
        ("output files", sizes["ours"]["files"], peer.get("files"), "files"),
        ("search index size (MB)", sizes["ours"]["index_bytes"] / MB,
         peer.get("index_bytes", 0) / MB if peer else None, "MB"),
        ("search index files", sizes["ours"]["index_files"], peer.get("index_files"), "files"),
    ]
    return rows + _browser_rows(results)


def preview_median(results: dict[str, Any], kind: str, field: str) -> float | None:
    """Median of a preview-server rebuild figure (``reported`` or ``seen``) for ``kind``."""
    runs = [r[field] for r in results.get("preview", {}).get("rebuilds", []) if r["kind"] == kind]
    return median(runs) if runs else None


def _preview_rows(results: dict[str, Any]) -> list[Row]:
    """Rebuilds in ``serve``: the peer column repeats the peer's full rerun (Pagefind has no
    incremental mode; ``hugo server`` alone leaves the search index stale)."""
    if "preview" not in results:
        return []
    peer_edit, peer_add = (_runs(results, "peer_edit", "seconds"),
                           _runs(results, "peer_add", "seconds"))
    return [
        ("  in serve, after an edit: rebuild (s)", preview_median(results, "edit", "reported"),
         peer_edit, "s"),
        ("  in serve, after an edit: until shown (s)", preview_median(results, "edit", "seen"),
         peer_edit, "s"),
        ("  in serve, after an add: until shown (s)", preview_median(results, "add", "seen"),
         peer_add, "s"),
        ("peak RSS, serve (MB)", results["preview"]["peak_rss"] / MB, None, "MB"),
    ]


def _browser_rows(results: dict[str, Any]) -> list[Row]:
    found = results.get("browser")
    if not found:
        return []

    def get(engine: str, path: Callable[[dict[str, Any]], float]) -> float | None:
        return path(found[engine]) if engine in found else None

    def pair(path: Callable[[dict[str, Any]], float]) -> tuple[float | None, float | None]:
        return get("ours", path), get("peer", path)

    count = len(results["queries"])
    return [
        ("first query: transferred (KB, median)",
         *pair(lambda e: e["first_summary"]["wire_median"] / 1024), "KB"),
        ("first query: those files on disk (KB, median)",
         *pair(lambda e: e["first_summary"]["raw_median"] / 1024), "KB"),
        ("first query: latency median (ms)", *pair(lambda e: e["first_summary"]["ms_median"]),
         "ms"),
        ("first query: latency p95 (ms)", *pair(lambda e: e["first_summary"]["ms_p95"]), "ms"),
        ("later query: transferred (KB, median)",
         *pair(lambda e: e["later_summary"]["wire_median"] / 1024), "KB"),
        ("later query: latency median (ms)", *pair(lambda e: e["later_summary"]["ms_median"]),
         "ms"),
        ("later query: latency p95 (ms)", *pair(lambda e: e["later_summary"]["ms_p95"]), "ms"),
        ("recall, substring queries (mean)", *pair(lambda e: e["quality"]["recall"]), "%"),
        ("precision (mean)", *pair(lambda e: e["quality"]["precision"]), "%"),
        (f"queries answered exactly (of {count})", *pair(lambda e: e["quality"]["perfect"]),
         "n"),
    ]


def table(results: dict[str, Any]) -> str:
    rows = build_rows(results)
    hugo, pagefind = (_runs(results, "hugo_cold", "seconds"),
                      _runs(results, "pagefind_cold", "seconds"))
    lines = [f"| {'metric':<46} | {'site-builder':>12} | {'Hugo+Pagefind':>13} | "
             f"{'ours/theirs':>11} |", f"|{'-' * 48}|{'-' * 14}:|{'-' * 15}:|{'-' * 13}:|"]
    for label, ours, theirs, unit in rows:
        if label.startswith("  Hugo alone"):
            if hugo is None:
                continue
            shown = f"{_fmt(hugo, 's')} / {_fmt(pagefind, 's')}"
            lines.append(f"| {label:<46} | {'':>12} | {shown:>13} | {'':>11} |")
            continue
        lines.append(f"| {label:<46} | {_fmt(ours, unit):>12} | {_fmt(theirs, unit):>13} | "
                     f"{_ratio(ours, theirs, unit):>11} |")
    return "\n".join(lines)


def goals(results: dict[str, Any]) -> list[str]:
    """The issue's goals that this run's size speaks to, each with its figure."""
    n = results["projects"]
    lines: list[str] = []

    def check(ok: bool, text: str) -> None:
        lines.append(f"[{'met' if ok else 'NOT met'}] {text}")

    ours_cold = _runs(results, "ours_cold", "seconds")
    peer_cold = _runs(results, "peer_cold", "seconds")
    if ours_cold is not None and peer_cold is not None and n >= 10_000:
        check(ours_cold <= peer_cold, f"cold build incl. search ≤ Hugo+Pagefind at {n:,}: "
                                      f"{ours_cold:.1f} s vs {peer_cold:.1f} s")
    rss, pss = _runs(results, "ours_cold", "peak_rss"), _runs(results, "ours_cold", "peak_pss")
    if rss is not None and n >= 50_000:
        check(rss <= 1.5 * 1024 * MB, f"peak RSS ≤ 1.5 GB at {n:,}: {rss / MB:,.0f} MB "
                                      f"(PSS {(pss or 0) / MB:,.0f} MB)")
    edit = _runs(results, "ours_edit", "seconds")
    quick = preview_median(results, "edit", "seen")
    if edit is not None and TEN_K <= n < FIFTY_K:
        shown = "-" if quick is None else f"{quick:.2f} s"
        check(quick is not None and quick <= 1.0,
              f"rebuild after one edit ≤ 1 s at {n:,}: {shown} in serve (edit to page "
              f"shown), {edit:.2f} s by a separate build command")
    found = results.get("browser", {})
    if "ours" in found and "peer" in found and n >= 10_000:
        ours_b = found["ours"]["first_summary"]["wire_median"]
        peer_b = found["peer"]["first_summary"]["wire_median"]
        check(ours_b <= peer_b / 2, f"first query downloads ≤ half of Pagefind's: "
                                    f"{ours_b / 1024:.1f} KB vs {peer_b / 1024:.1f} KB")
    if "ours" in found and TEN_K <= n < FIFTY_K:
        ms = found["ours"]["first_summary"]["ms_median"]
        check(ms <= 100, f"first query answers in ≤ 100 ms at {n:,}: {ms:.0f} ms (median)")
    if ours_cold is not None and n >= 100_000:
        check(ours_cold <= 300, f"{n:,} projects built in ≤ 5 minutes: {ours_cold:.0f} s")
    return lines


def print_report(results: dict[str, Any]) -> None:
    load = results.get("load_before", [0, 0, 0])
    print(f"\n{results['projects']:,} projects in {results['units']:,} unit-years; "
          f"{results['cpus']} CPUs; build --jobs {results['jobs']}; median of "
          f"{results['runs']} run(s); load average at start {load[0]:.1f} "
          f"(shared machine: compare ratios, not absolute figures)\n")
    print(table(results))
    for line in goals(results):
        print(line)
