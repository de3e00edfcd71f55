#!/usr/bin/env python3
"""Run benchmark: "click" -> the 2048 page served, on an already-built project, next to
starting the unikernel by hand in the same run (the baseline).

- by hand: exec ./dist/www --port=P in the project folder, then GET / until the page comes.
- unistudio-cli run DIR: exec the command, then GET / until the page comes (includes the
  CLI's own start and finding mirage).
- Unistudio (the window already open on the project): the `run` action over D-Bus, as
  `gapplication action` sends it, then GET / until the page comes. A button click costs no
  process start: the time of a D-Bus ping from a new gdbus is measured too and subtracted
  in a second line.

Every variant polls the same way (a GET every millisecond until one succeeds) and ends the
unikernel before the next try. The stand-in mirage (tests/fixtures) plays the toolchain and
its unix artefact is a small real web server, so the baseline is what Run starts. Prints
medians and ratios against the baseline; never asserts a time. The goal is 1.1x: Run must
neither configure nor build again when everything is up to date, which the plan shows.

Usage: bench-run.py UNISTUDIO UNISTUDIO_CLI FIXTURES_DIR DEMO_DIR APP_ID [RUNS]
"""

import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_page(port):
    """The body of GET /, or None when nothing answers yet."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/")
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return body if response.status == 200 else None
    except OSError:
        return None


def wait_for_page(port, expected, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = get_page(port)
        if body is not None:
            if body != expected:
                raise RuntimeError("the page served is not the demo's index.html")
            return
        time.sleep(0.001)
    raise RuntimeError(f"nothing served the page on port {port} within {timeout} s")


def wait_for_closed(port, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.01)
    raise RuntimeError(f"port {port} still answers after the unikernel was stopped")


def by_hand(project, port, expected, env):
    start = time.monotonic()
    process = subprocess.Popen(["./dist/www", f"--port={port}"], cwd=project, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_page(port, expected)
        return (time.monotonic() - start) * 1000
    finally:
        process.terminate()
        process.wait(timeout=10)
        wait_for_closed(port)


def with_cli(cli, project, port, expected, env):
    start = time.monotonic()
    process = subprocess.Popen([cli, "run", project], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_page(port, expected)
        return (time.monotonic() - start) * 1000
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
        wait_for_closed(port)


def activate(app_id, action):
    path = "/" + app_id.replace(".", "/")
    subprocess.run(["gdbus", "call", "--session", "--dest", app_id, "--object-path", path,
                    "--method", "org.gtk.Actions.Activate", action, "[]", "{}"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)


def ping(app_id):
    """The cost of the "click" itself: starting gdbus and a D-Bus round trip to the app."""
    path = "/" + app_id.replace(".", "/")
    start = time.monotonic()
    subprocess.run(["gdbus", "call", "--session", "--dest", app_id, "--object-path", path,
                    "--method", "org.freedesktop.DBus.Peer.Ping"],
                   check=True, stdout=subprocess.DEVNULL, timeout=10)
    return (time.monotonic() - start) * 1000


def with_app(app_id, port, expected):
    start = time.monotonic()
    activate(app_id, "run")
    try:
        wait_for_page(port, expected)
        return (time.monotonic() - start) * 1000
    finally:
        activate(app_id, "stop")
        wait_for_closed(port)


def main():
    unistudio, cli, fixtures, demo, app_id = sys.argv[1:6]
    runs = int(sys.argv[6]) if len(sys.argv) > 6 else 10

    with tempfile.TemporaryDirectory(prefix="unistudio-bench-run-") as tmp:
        project = os.path.join(tmp, "2048 demo")
        shutil.copytree(demo, project)
        port = free_port()
        os.makedirs(os.path.join(project, ".unistudio"), exist_ok=True)
        with open(os.path.join(project, ".unistudio", "project.ini"), "w") as f:
            f.write(f"[Project]\ntarget=unix\n\n[Target unix]\nboot.port={port}\n")
        with open(os.path.join(project, "htdocs", "index.html"), "rb") as f:
            expected = f.read()

        env = dict(os.environ)
        env["PATH"] = fixtures + os.pathsep + env.get("PATH", "")
        for name in ("DATA", "CONFIG", "CACHE"):
            env[f"XDG_{name}_HOME"] = os.path.join(tmp, name.lower())
        # The page opens in a handler that only notes the URL: no browser here.
        applications = os.path.join(tmp, "data", "applications")
        os.makedirs(applications)
        with open(os.path.join(applications, "bench-browser.desktop"), "w") as f:
            f.write("[Desktop Entry]\nType=Application\nName=Bench Browser\n"
                    f"Exec=/bin/sh -c 'echo \"$1\" >> {tmp}/opened' sh %u\n"
                    "MimeType=x-scheme-handler/http;\n")
        os.makedirs(os.path.join(tmp, "config"))
        with open(os.path.join(tmp, "config", "mimeapps.list"), "w") as f:
            f.write("[Default Applications]\nx-scheme-handler/http=bench-browser.desktop\n")

        subprocess.run([cli, "build", project], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        plan = json.loads(subprocess.run([cli, "plan", project, "--run"], env=env, check=True,
                                         stdout=subprocess.PIPE, text=True).stdout)
        steps = {step["name"]: step["skip"] for step in plan}
        print("plan of Run on the built project: "
              + ", ".join(f"{name} {'skipped' if skip else 'RUNS'}" for name, skip in steps.items()))

        app = subprocess.Popen([unistudio, project], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            # The window is up and has found mirage once a first Run answers (the warm-up).
            deadline = time.monotonic() + 60
            while True:
                try:
                    with_app(app_id, port, expected)
                    break
                except (subprocess.CalledProcessError, RuntimeError):
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            by_hand(project, port, expected, env)
            with_cli(cli, project, port, expected, env)

            results = {"by hand: ./dist/www": [], "unistudio-cli run": [],
                       "Unistudio: run action": []}
            pings = []
            for _ in range(runs):
                results["by hand: ./dist/www"].append(by_hand(project, port, expected, env))
                results["unistudio-cli run"].append(with_cli(cli, project, port, expected, env))
                results["Unistudio: run action"].append(with_app(app_id, port, expected))
                pings.append(ping(app_id))
        finally:
            app.terminate()
            app.wait(timeout=15)

        opened = open(os.path.join(tmp, "opened")).read().split() if os.path.exists(
            os.path.join(tmp, "opened")) else []

    print(f"start -> the 2048 page served, median of {runs} runs")
    base = statistics.median(results["by hand: ./dist/www"])
    for name, samples in results.items():
        ms = statistics.median(samples)
        print(f"  {name:26s} {ms:7.1f} ms  (x{ms / base:4.2f})   "
              f"min {min(samples):6.1f}  max {max(samples):6.1f}")
    click = statistics.median(results["Unistudio: run action"]) - statistics.median(pings)
    print(f"  {'  less gdbus start + D-Bus':26s} {click:7.1f} ms  (x{click / base:4.2f})   "
          f"a D-Bus ping from a new gdbus takes {statistics.median(pings):.1f} ms")
    print(f"  the page was opened in the URL handler {len(opened)} times "
          f"({len(set(opened))} distinct URL: {', '.join(sorted(set(opened)))})")


if __name__ == "__main__":
    main()
