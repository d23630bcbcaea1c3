"""Side-by-side benchmark runner: timings, spread, peak memory, ratio and target.

A `Benchmark` has an input maker (untimed, deterministic for a size), our side and
optionally a baseline side. Each side prepares its own untimed state from the input and
then runs the same number of times (``repeats``: one figure for both, so that neither side's
median rests on fewer runs); the times give a median and a spread (min, quartiles, max).

A baseline is one of two kinds (``baseline_kind``): an ``alternative``, what a user would
otherwise run for the same result (OGR, QGIS's own algorithms, another library), or a
``floor``, a yardstick no implementation can beat (``json.loads`` of the payloads: the decode
floor). The kind and the baseline's label are written with the results and shown in the table.

Memory: each side runs in a child process of its own (``python -m tests.bench.harness``),
so that one side's allocations (Python, numpy, QGIS's C++ and GDAL alike) cannot hide in or
inflate the other's. Both children are prepared first, then their timed runs alternate (ours,
baseline, ours, ...) so that a shared machine's load falls on both sides alike. After the
untimed setup each child resets the kernel's resident-set high-water mark
(``echo 5 > /proc/self/clear_refs``) and notes its resident set; after the timed runs it
reads the high-water mark again (``VmHWM`` in ``/proc/self/status``). The reported peak is
that high-water mark minus the resident set before the first run (after handing memory the
setup freed back to the system with glibc's ``malloc_trim``): the extra memory the
operation needed at its worst moment, whatever allocated it. Where the reset is refused, the
child's whole-life ``VmHWM`` is reported instead (and said so in the results).

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


ALTERNATIVE = "alternative"  # what a user would otherwise run for the same result
FLOOR = "floor"  # a yardstick: the least any implementation must do (e.g. decoding the bytes)
BASELINE_KINDS = {ALTERNATIVE: "alternative", FLOOR: "yardstick"}  # kind -> word in the table


@dataclass
class Benchmark:
    """A hot path measured against a baseline (an alternative or a floor) on the same input."""

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
    repeats: int = 5  # timed runs of each side, the same for both
    baseline_kind: str = ALTERNATIVE
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


def release_free_memory() -> None:
    """Hand memory freed by the setup back to the system (glibc ``malloc_trim``).

    Without it, a side whose untimed setup freed a lot (a big file written, a download) would
    reuse those pages during its run without its resident set growing: a peak too low.
    """
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


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


class SideRunner:
    """One side, prepared once (untimed), then run on demand; `finish` gives times, memory, outputs."""

    def __init__(self, bench: Benchmark, which: str, size: int, measure_memory: bool) -> None:
        self.bench = bench
        self.side = _side(bench, which)
        data = bench.make_input(size)
        self.state = self.side.prepare(data) if self.side.prepare else data
        del data
        release_free_memory()
        self.reset_ok = reset_peak_rss() if measure_memory else False
        self.measure_memory = measure_memory
        self.rss_before = _status_kib("VmRSS")
        self.times: list[float] = []
        self.summaries: list[Any] = []
        self.output: Any = None

    def run_once(self) -> float:
        """One timed run; its duration in seconds."""
        self.output = None
        gc.collect()
        start = time.perf_counter()
        self.output = self.side.run(self.state)
        elapsed = time.perf_counter() - start
        self.times.append(elapsed)
        if self.bench.metrics is not None:
            self.summaries.append(self._summarize(self.output))
        return elapsed

    def _summarize(self, output: Any) -> Any:
        return self.side.summarize(output) if self.side.summarize else output

    def finish(self) -> dict:
        """Times, spread, peak memory and the compared output; the side's resources are released."""
        try:
            hwm = _status_kib("VmHWM")
            summary = self.summaries[-1] if self.summaries else self._summarize(self.output)
        finally:
            self.output = None
            if self.side.cleanup:
                self.side.cleanup(self.state)
        result = {"label": self.side.label, **spread(self.times), "summary": summary, "summaries": self.summaries}
        if self.measure_memory and hwm is not None and self.rss_before is not None:
            result["rss_before_mib"] = self.rss_before / 1024
            result["peak_rss_mib"] = hwm / 1024
            result["peak_method"] = "VmHWM after reset - VmRSS before" if self.reset_ok else "VmHWM (whole child)"
            result["peak_mib"] = (hwm - self.rss_before) / 1024 if self.reset_ok else hwm / 1024
        return result


def run_side(bench: Benchmark, which: str, size: int, repeats: int, measure_memory: bool) -> dict:
    """Prepare and run one side ``repeats`` times in this process; times, memory and summary."""
    runner = SideRunner(bench, which, size, measure_memory)
    for _ in range(repeats):
        runner.run_once()
    return runner.finish()


_MARK = "@@bench "


class ChildSide:
    """A side prepared in a child process of its own, run on demand (so two sides can alternate)."""

    def __init__(self, module: str, bench: Benchmark, which: str, size: int) -> None:
        self.name = f"{bench.name} ({which})"
        self.tmp = tempfile.TemporaryDirectory(prefix="smartcity-bench-")
        self.out = Path(self.tmp.name) / "result.pickle"
        self.err = (Path(self.tmp.name) / "stderr.txt").open("w+", encoding="utf-8")
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
        cmd = [sys.executable, "-m", "tests.bench.harness", module, bench.name, which, str(size), str(self.out)]
        self.proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, text=True
        )
        self._expect("ready")

    def _expect(self, word: str) -> str:
        deadline = time.monotonic() + CHILD_TIMEOUT
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith(_MARK):
                answer = line[len(_MARK) :].strip()
                if answer.split(" ", 1)[0] == word:
                    return answer
        self.proc.kill()
        self.proc.wait(timeout=10)
        self.err.seek(0)
        raise RuntimeError(
            f"benchmark {self.name} failed (exit code {self.proc.returncode}):\n{self.err.read()[-5000:]}"
        )

    def _send(self, command: str) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def run_once(self) -> float:
        self._send("run")
        return float(self._expect("ran").split()[1])

    def finish(self) -> dict:
        self._send("finish")
        self._expect("done")
        self.proc.wait(timeout=60)
        try:
            with self.out.open("rb") as handle:
                return pickle.load(handle)
        finally:
            self.err.close()
            self.tmp.cleanup()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.err.close()
        self.tmp.cleanup()


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
    if bench.baseline is not None:
        if bench.baseline_kind not in BASELINE_KINDS:
            raise ValueError(f"{bench.name}: baseline_kind must be one of {sorted(BASELINE_KINDS)}")
        result["baseline_kind"] = bench.baseline_kind
    if not isolate:
        for which in sides:
            result[which] = run_side(bench, which, size, 1, measure_memory=False)
    else:
        # Both sides are prepared first, then their runs alternate, so that a shared machine's
        # load falls on both alike.
        runners: dict[str, ChildSide] = {}
        try:
            for which in sides:
                runners[which] = ChildSide(module, bench, which, size)
            for _ in range(bench.repeats):
                for which in sides:
                    runners[which].run_once()
            for which in sides:
                result[which] = runners.pop(which).finish()
        finally:
            for runner in runners.values():
                runner.kill()
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


def baseline_name(result: dict) -> str:
    """What the baseline is: ``alternative — <label>`` or ``yardstick — <label>`` (— when none)."""
    side = result.get("baseline")
    if not side:
        return "—"
    kind = BASELINE_KINDS.get(result.get("baseline_kind", ALTERNATIVE), "alternative")
    return f"{kind} — {side['label']}"


def result_row(result: dict) -> list[str]:
    """Cells of one result: benchmark, size, ours, baseline name and figures, ratio, metrics, target, verdict."""
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
        baseline_name(result),
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
    "baseline",
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


def write_results(
    results: list[dict], path: Path = RESULTS_FILE, full: bool = True, order: list[str] | None = None
) -> Path:
    """Write ``bench-results.json``: machine, date, and every benchmark's figures.

    Results of benchmarks not run this time (``pytest -k``) are kept from the file when it holds
    the same kind of run (full or smoke); ``order`` (benchmark names) sets the order and drops
    benchmarks that no longer exist.
    """
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    kept: dict[str, dict] = {}
    if path.exists():
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))
            if previous.get("full_size") == full:
                kept = {b["name"]: b for b in previous.get("benchmarks", [])}
        except (OSError, ValueError, KeyError, TypeError):
            kept = {}
    for result in results:
        kept[result["name"]] = {**public_result(result), "date": now}
    names = order if order is not None else list(kept)
    document = {
        "date": now,
        "full_size": full,
        "machine": machine(),
        "memory_method": "each side in its own child process; peak = VmHWM after a clear_refs reset "
        "minus VmRSS before the first timed run",
        "benchmarks": [kept[name] for name in names if name in kept],
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


BENCH_MODULES = [
    "tests.bench.cases_pure",
    "tests.bench.cases_cityos",
    "tests.bench.cases_analysis",
    "tests.bench.cases_figure",
]


def all_benchmarks() -> list[tuple[str, Benchmark]]:
    """(module, benchmark) for every benchmark, in table order."""
    return [(module, bench) for module in BENCH_MODULES for bench in importlib.import_module(module).BENCHMARKS]


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
    """Prepare one side, then answer ``run`` and ``finish`` on stdin (see `ChildSide`)."""
    module, name, which, size, out = argv
    bench = benchmark_by_name(module, name)
    app = _start_qgis(bench.needs_processing) if bench.needs_qgis else None
    runner = SideRunner(bench, which, int(size), measure_memory=True)
    print(_MARK + "ready", flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "run":
            print(f"{_MARK}ran {runner.run_once()!r}", flush=True)
        elif command == "finish":
            with open(out, "wb") as handle:
                pickle.dump(runner.finish(), handle)
            print(_MARK + "done", flush=True)
            break
    sys.stderr.flush()
    del app
    # QGIS's exit can crash in teardown of providers; the result is written, leave now.
    os._exit(0)


if __name__ == "__main__":
    _child_main(sys.argv[1:])
