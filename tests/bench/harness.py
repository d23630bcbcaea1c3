"""Side-by-side benchmark runner: timings, spread, peak memory, ratio and target.

A `Benchmark` has an input maker (untimed, deterministic for a size), our side and
optionally a baseline side. Each side prepares its own untimed state from the input and
then runs several times; the times give a median and a spread (min, quartiles, max).

Memory: each side runs in a child process of its own (``python -m tests.bench.harness``),
so that one side's allocations (Python, numpy, QGIS's C++ and GDAL alike) cannot hide in or
inflate the other's. After the untimed setup the child resets the kernel's resident-set
high-water mark (``echo 5 > /proc/self/clear_refs``), notes its resident set, runs the timed
repetitions and reads the high-water mark again (``VmHWM`` in ``/proc/self/status``). The
reported peak is that high-water mark minus the resident set before the first run: the extra
memory the operation needed at its worst moment, whatever allocated it. Where the reset is
refused, the child's whole-life ``VmHWM`` is reported instead (and said so in the results).

Smoke tests call `run_inprocess` at a small size: one run per side, no memory figures, only
the check that both sides ran and their outputs agree.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
RESULTS_FILE = REPO / "bench-results.json"
CHILD_TIMEOUT = 900


@dataclass
class Side:
    """One way of doing the job: ``prepare(input)`` untimed, then ``run(state)`` timed."""

    label: str
    run: Callable[[Any], Any]
    prepare: Callable[[Any], Any] | None = None
    summarize: Callable[[Any], Any] | None = None  # output -> small picklable value to compare
    cleanup: Callable[[Any], None] | None = None


@dataclass
class Target:
    """What the benchmark must show; ``check(result)`` returns True, False or None (reported only)."""

    text: str
    check: Callable[[dict], bool | None]


@dataclass
class Benchmark:
    """A hot path measured against its best alternative on the same input."""

    name: str
    title: str
    full_size: int
    smoke_size: int
    make_input: Callable[[int], Any]
    ours: Side
    baseline: Side | None
    target: Target
    agree: Callable[[Any, Any], str | None] | None = None  # (ours, baseline) -> None or what differs
    metrics: Callable[[Any], dict] | None = None  # summarised output -> extra figures (rates, latencies)
    repeats: int = 5
    baseline_repeats: int | None = None
    needs_qgis: bool = False
    needs_processing: bool = False
    size_unit: str = "items"
    notes: str = ""
    timed: bool = True  # False: the run's duration is fixed by the benchmark, only its figures count


# ---------------------------------------------------------------- statistics


def spread(times: list[float]) -> dict:
    """Median, quartiles, min and max of ``times`` (seconds)."""
    ordered = sorted(times)
    if len(ordered) >= 4:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1, q3 = ordered[0], ordered[-1]
    return {
        "runs": len(ordered),
        "median_s": statistics.median(ordered),
        "min_s": ordered[0],
        "q1_s": q1,
        "q3_s": q3,
        "max_s": ordered[-1],
        "times_s": ordered,
    }


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` percentile (0..1) of ``values``, linear between order statistics."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# ---------------------------------------------------------------- memory


def _status_kib(key: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss() -> bool:
    """Reset this process's resident-set high-water mark (Linux ≥ 4.0); False when refused."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


# ---------------------------------------------------------------- running one side


def _side(bench: Benchmark, which: str) -> Side:
    side = bench.ours if which == "ours" else bench.baseline
    if side is None:
        raise ValueError(f"{bench.name} has no {which} side")
    return side


def run_side(bench: Benchmark, which: str, size: int, repeats: int, measure_memory: bool) -> dict:
    """Prepare and run one side ``repeats`` times in this process; times, memory and summary."""
    side = _side(bench, which)
    data = bench.make_input(size)
    state = side.prepare(data) if side.prepare else data
    del data
    gc.collect()
    reset_ok = reset_peak_rss() if measure_memory else False
    rss_before = _status_kib("VmRSS")
    times: list[float] = []
    summaries: list[Any] = []
    output: Any = None
    try:
        for _ in range(repeats):
            output = None
            gc.collect()
            start = time.perf_counter()
            output = side.run(state)
            times.append(time.perf_counter() - start)
            if bench.metrics is not None:
                summaries.append(side.summarize(output) if side.summarize else output)
        hwm = _status_kib("VmHWM")
        summary = summaries[-1] if summaries else (side.summarize(output) if side.summarize else output)
    finally:
        if side.cleanup:
            side.cleanup(state)
    result = {"label": side.label, **spread(times), "summary": summary, "summaries": summaries}
    if measure_memory and hwm is not None and rss_before is not None:
        result["rss_before_mib"] = rss_before / 1024
        result["peak_rss_mib"] = hwm / 1024
        result["peak_method"] = "VmHWM after reset - VmRSS before" if reset_ok else "VmHWM (whole child)"
        result["peak_mib"] = (hwm - rss_before) / 1024 if reset_ok else hwm / 1024
    return result


def run_side_in_child(module: str, bench: Benchmark, which: str, size: int, repeats: int) -> dict:
    """`run_side` in a fresh Python process, so its memory high-water mark is its own."""
    with tempfile.TemporaryDirectory(prefix="smartcity-bench-") as tmp:
        out = Path(tmp) / "result.pickle"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
        cmd = [
            sys.executable,
            "-m",
            "tests.bench.harness",
            module,
            bench.name,
            which,
            str(size),
            str(repeats),
            str(out),
        ]
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT)
        if not out.exists():
            raise RuntimeError(
                f"benchmark {bench.name} ({which}) failed with exit code {proc.returncode}:\n"
                f"{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
            )
        with out.open("rb") as handle:
            return pickle.load(handle)


def _verdict(bench: Benchmark, result: dict) -> None:
    if bench.baseline is not None and "baseline" in result:
        result["ratio"] = result["ours"]["median_s"] / result["baseline"]["median_s"]
        ours_peak = result["ours"].get("peak_mib")
        base_peak = result["baseline"].get("peak_mib")
        if ours_peak is not None and base_peak:
            result["memory_ratio"] = ours_peak / base_peak
    if bench.metrics is not None:
        result["metrics"] = bench.metrics(result["ours"]["summaries"])
    if bench.agree is not None:
        other = result["baseline"]["summary"] if "baseline" in result else None
        disagreement = bench.agree(result["ours"]["summary"], other)
        result["agree"] = disagreement is None
        if disagreement is not None:
            result["disagreement"] = disagreement
    passed = bench.target.check(result)
    if passed is not None and result.get("agree") is False:
        passed = False
    result["target"] = bench.target.text
    result["passed"] = passed


def run_benchmark(module: str, bench: Benchmark, size: int, isolate: bool = True) -> dict:
    """Both sides at ``size``, each in its own child process (``isolate``) or in this one."""
    result: dict[str, Any] = {
        "name": bench.name,
        "title": bench.title,
        "size": size,
        "size_unit": bench.size_unit,
        "notes": bench.notes,
        "timed": bench.timed,
    }
    sides = ["ours"] + (["baseline"] if bench.baseline is not None else [])
    for which in sides:
        repeats = bench.repeats if which == "ours" else (bench.baseline_repeats or bench.repeats)
        if isolate:
            result[which] = run_side_in_child(module, bench, which, size, repeats)
        else:
            result[which] = run_side(bench, which, size, 1, measure_memory=False)
    _verdict(bench, result)
    return result


def run_inprocess(bench: Benchmark, size: int | None = None) -> dict:
    """Smoke run: each side once at ``size`` (default the smoke size) in this process."""
    return run_benchmark("", bench, size or bench.smoke_size, isolate=False)


# ---------------------------------------------------------------- machine and report


def machine() -> dict:
    """CPU model, cores, RAM (from /proc), Python, numpy and QGIS versions."""
    info: dict[str, Any] = {"cores": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    info["python"] = sys.version.split()[0]
    try:
        import numpy

        info["numpy"] = numpy.__version__
    except ImportError:
        pass
    try:
        from qgis.core import Qgis

        info["qgis"] = Qgis.QGIS_VERSION
    except ImportError:
        pass
    return info


def _fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def side_text(side: dict | None, timed: bool = True) -> str:
    """``median (min–max) · peak`` for one side."""
    if not side:
        return "—"
    parts = []
    if timed:
        parts.append(f"{_fmt_s(side['median_s'])} ({_fmt_s(side['min_s'])}–{_fmt_s(side['max_s'])})")
    if side.get("peak_mib") is not None:
        parts.append(f"{side['peak_mib']:.0f} MiB")
    return ", ".join(parts) or "—"


def result_row(result: dict) -> list[str]:
    """Cells of one result: benchmark, size, ours, baseline, ratio, metrics, target, verdict."""
    ratio = f"{result['ratio']:.2f}" if "ratio" in result else "—"
    if "memory_ratio" in result:
        ratio += f" (mem {result['memory_ratio']:.2f})"
    metrics = ", ".join(f"{k} {v}" for k, v in result.get("metrics", {}).items())
    verdict = {True: "pass", False: "MISS", None: "reported"}[result.get("passed")]
    if result.get("agree") is False:
        verdict += " (outputs differ)"
    timed = result.get("timed", True)
    return [
        result["title"],
        f"{result['size']:,} {result['size_unit']}",
        side_text(result.get("ours"), timed),
        side_text(result.get("baseline"), timed),
        ratio,
        metrics or "—",
        result["target"],
        verdict,
    ]


HEADERS = [
    "benchmark",
    "size",
    "ours: median (min–max), peak",
    "baseline: median (min–max), peak",
    "ratio ours/baseline",
    "figures",
    "target",
    "result",
]


def text_table(results: list[dict]) -> str:
    """A plain-text table for the terminal."""
    rows = [HEADERS] + [result_row(r) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def public_result(result: dict) -> dict:
    """The result without the compared outputs (which can be large)."""
    clean = dict(result)
    for which in ("ours", "baseline"):
        if which in clean:
            clean[which] = {k: v for k, v in clean[which].items() if k not in ("summary", "summaries")}
    return clean


def write_results(results: list[dict], path: Path = RESULTS_FILE, full: bool = True) -> Path:
    """Write ``bench-results.json``: machine, date, and every benchmark's figures."""
    document = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "full_size": full,
        "machine": machine(),
        "memory_method": "each side in its own child process; peak = VmHWM after a clear_refs reset "
        "minus VmRSS before the first timed run",
        "benchmarks": [public_result(r) for r in results],
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- child process entry point


_KEEP: list[Any] = []  # the application and providers live as long as the child


def _start_qgis(processing: bool) -> Any:
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    if processing:
        plugins = "/usr/share/qgis/python/plugins"
        if plugins not in sys.path:
            sys.path.append(plugins)
        from processing.core.Processing import Processing

        Processing.initialize()
        from smartcity_qgis.algorithms.provider import SmartCityProvider

        provider = SmartCityProvider()
        app.processingRegistry().addProvider(provider)
        _KEEP.append(provider)
    _KEEP.append(app)
    return app


def benchmark_by_name(module: str, name: str) -> Benchmark:
    """The benchmark ``name`` from ``module``'s ``BENCHMARKS`` list."""
    for bench in importlib.import_module(module).BENCHMARKS:
        if bench.name == name:
            return bench
    raise KeyError(f"no benchmark {name!r} in {module}")


def _child_main(argv: list[str]) -> None:
    module, name, which, size, repeats, out = argv
    bench = benchmark_by_name(module, name)
    app = _start_qgis(bench.needs_processing) if bench.needs_qgis else None
    result = run_side(bench, which, int(size), int(repeats), measure_memory=True)
    with open(out, "wb") as handle:
        pickle.dump(result, handle)
    sys.stdout.flush()
    sys.stderr.flush()
    del app
    # QGIS's exit can crash in teardown of providers; the result is written, leave now.
    os._exit(0)


if __name__ == "__main__":
    _child_main(sys.argv[1:])
