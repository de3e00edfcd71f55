#!/usr/bin/env python3
"""Startup benchmark: exec -> first frame and peak RSS of `unistudio <demo copy>`,
next to a bare GtkWindow measured in the same run (the baseline).

Both programs print `first-frame <monotonic µs> <VmHWM kB>` on their first frame. The bare
window quits there; unistudio, run with UNISTUDIO_REPORT_FIRST_FRAME=manifest, goes on until
its Manifest tab shows the form and prints `manifest-ready <monotonic µs>` then quits: the
first frame alone would reward a window that leaves its content for later. CLOCK_MONOTONIC
is shared by every process, so exec time and report times compare directly.
Prints medians and the ratio against the baseline; never asserts a time.

Usage: bench-startup.py BARE_WINDOW UNISTUDIO DEMO_DIR [RUNS]
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def measure(argv, env):
    """Returns (first frame ms, peak RSS MiB at the first frame, manifest ready ms or None)."""
    start_us = time.monotonic_ns() // 1000
    out = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         timeout=60, check=True, text=True).stdout
    frame = None
    manifest_ms = None
    for line in out.splitlines():
        if line.startswith("first-frame "):
            _, frame_us, hwm_kib = line.split()
            frame = (int(frame_us) - start_us) / 1000.0, int(hwm_kib) / 1024.0
        elif line.startswith("manifest-ready "):
            manifest_ms = (int(line.split()[1]) - start_us) / 1000.0
    if frame is None:
        raise RuntimeError(f"{argv[0]} printed no first-frame line")
    return frame[0], frame[1], manifest_ms


def main():
    bare, unistudio, demo = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5

    with tempfile.TemporaryDirectory(prefix="unistudio-bench-") as tmp:
        project = os.path.join(tmp, "2048")
        shutil.copytree(demo, project)
        env = dict(os.environ)
        env["UNISTUDIO_REPORT_FIRST_FRAME"] = "manifest"
        env["XDG_DATA_HOME"] = os.path.join(tmp, "data")
        env["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")
        env["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")

        results = {"bare GtkWindow": [], "unistudio <2048 demo>": []}
        # Warm the page cache and font caches once for each, then interleave.
        measure([bare], env)
        measure([unistudio, project], env)
        for _ in range(runs):
            results["bare GtkWindow"].append(measure([bare], env))
            results["unistudio <2048 demo>"].append(measure([unistudio, project], env))

    renderer = os.environ.get("GSK_RENDERER", "default (GL)")
    print(f"exec -> first frame, median of {runs} runs, renderer {renderer}")
    base_ms = statistics.median(t for t, _, _ in results["bare GtkWindow"])
    base_rss = statistics.median(r for _, r, _ in results["bare GtkWindow"])
    for name, samples in results.items():
        ms = statistics.median(t for t, _, _ in samples)
        rss = statistics.median(r for _, r, _ in samples)
        print(f"  {name:24s} {ms:7.1f} ms  (x{ms / base_ms:4.2f})   "
              f"peak RSS {rss:6.1f} MiB  (x{rss / base_rss:4.2f})")
    manifest = [m for _, _, m in results["unistudio <2048 demo>"] if m is not None]
    if len(manifest) == runs:
        ms = statistics.median(manifest)
        print(f"  {'  manifest form shown':24s} {ms:7.1f} ms  (x{ms / base_ms:4.2f})")
    else:
        print(f"  manifest form shown in only {len(manifest)} of {runs} runs")


if __name__ == "__main__":
    main()
