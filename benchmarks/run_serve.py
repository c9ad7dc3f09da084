"""Load benchmark of ``tohip serve`` (issue 11), against 127.0.0.1 only.

Starts the real server (``python -m tohip serve --rate-limit 0``: all load comes from one
client address, which the per-client limit would otherwise throttle) and drives
``POST /api/v1/assess`` with wrk (Debian's ``wrk``; a Lua script sends the JSON body) on the
typical ~1,000-character note (src/tohip/web/examples/middle_aged_man_marrow_oedema.txt),
varied into 120 distinct notes (age, side and duration):

1. at 1, 8 and 64 concurrent connections: p50, p99, requests/s, errors and the load average;
   for each number of workers in ``--workers`` (default 1,2), with the answer cache off
   (``--cache-size 0``) and on (the default) after every note has been answered once by every
   worker ("warm");
2. ``--baseline-rev REV`` (default main): the same rows against a ``git archive`` of REV in
   the same run (cache off where REV had the cache, and on with its ``--cache-size 1000``; one
   worker), started in the same environment, without httptools if REV did not depend on it
   (as it shipped);
3. the CLI on the same note (``tohip assess note.txt --format json``, a process per note, as a
   script would call it), and the same work in-process, for the baseline ratio;
4. memory: one worker's RSS after 100 requests and after ``--requests`` (default 10,000), of
   notes it has not seen (cache off, so no cache can hide a leak), and the same with the
   default cache over a pool of 200 notes.

    python -m benchmarks.run_serve [--seconds 10] [--workers 1,2] [--baseline-rev main]
                                   [--requests 10000] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
NOTE_FILE = REPO / "src" / "tohip" / "web" / "examples" / "middle_aged_man_marrow_oedema.txt"
URL_PATH = "/api/v1/assess"

LUA_BODIES = """
local bodies = {%s}
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "%s", {["Content-Type"] = "application/json"}, bodies[i])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_rows(url: str, note: str, script: Path, labels: dict[str, Any], seconds: int
              ) -> list[dict[str, Any]]:  # fmt: skip
    """wrk at 1, 8 and 64 connections, the server drained between."""
    rows = []
    for connections in (1, 8, 64):
        row = run_wrk(url, script, connections, seconds)
        drain(url, note)
        rows.append({**labels, **row})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def distinct_notes(note: str, count: int) -> list[str]:
    """The note with age, side and duration varied: the same clinical picture, new text."""
    notes = []
    for k in range(count):
        age = 30 + k % 45
        side = "left" if k % 2 else "right"
        weeks = 2 + k % 11
        varied = note.replace("46yo M", f"{age}yo M").replace("right hip", f"{side} hip")
        notes.append(varied.replace("for 5 weeks", f"for {weeks} weeks"))
    return notes


def lua_script(notes: list[str], folder: Path) -> Path:
    bodies = ", ".join("[==[" + json.dumps({"note": n}) + "]==]" for n in notes)
    path = folder / f"bodies_{len(notes)}.lua"
    path.write_text(LUA_BODIES % (bodies, URL_PATH))
    return path


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(url: str, script: Path, connections: int, seconds: int) -> dict[str, Any]:
    threads = min(connections, 2)
    load = os.getloadavg()[0]
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "10s", "--latency", "-s", str(script), url]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    parsed = {}
    for pct, text in latency.items():
        value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
        parsed[pct] = _ms(value, unit)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(g) for g in sockets.groups()) if sockets else 0
    )
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return {"connections": connections, "requests": total, "p50_ms": parsed.get("50"),
            "p99_ms": parsed.get("99"), "requests_per_s": rps, "errors": errors,
            "load_average": round(max(load, os.getloadavg()[0]), 2)}  # fmt: skip


def send_count(url: str, notes: list[str], count: int, connections: int = 8) -> int:
    """Send exactly ``count`` requests over ``connections`` concurrent clients; the errors."""
    import asyncio

    async def client(http: httpx.AsyncClient, queue: asyncio.Queue[int]) -> int:
        errors = 0
        while not queue.empty():
            k = queue.get_nowait()
            response = await http.post(url, json={"note": notes[k % len(notes)]})
            errors += response.status_code != 200
        return errors

    async def run() -> int:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for k in range(count):
            queue.put_nowait(k)
        async with httpx.AsyncClient(timeout=600) as http:
            found = await asyncio.gather(*(client(http, queue) for _ in range(connections)))
        return sum(found)

    return asyncio.run(run())


def rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]


def start_server(port: int, *extra: str, source: Path | None = None) -> subprocess.Popen[bytes]:
    """``tohip serve`` from this checkout, or from ``source`` (an archive of another revision,
    run in this environment; httptools is hidden from a revision that did not depend on it, so
    its uvicorn uses h11 as it shipped)."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(source / "src"), str(source / "_no_httptools")])
    process = subprocess.Popen(
        [sys.executable, "-m", "tohip", "serve", "--port", str(port), "--rate-limit", "0", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not become healthy")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=60)


def archive(rev: str, folder: Path) -> Path:
    """``git archive`` of ``rev`` unpacked under ``folder``. If ``rev`` did not depend on
    httptools, a stand-in hides it (an empty ``_no_httptools`` otherwise: a revision that
    depends on it, and asks uvicorn for it by name, would fail to start without it)."""
    target = folder / "baseline"
    target.mkdir()
    tar = subprocess.run(["git", "-C", str(REPO), "archive", rev], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=tar.stdout, check=True)
    (target / "_no_httptools").mkdir()
    if "httptools" in (target / "pyproject.toml").read_text("utf-8"):
        return target
    hidden = target / "_no_httptools" / "httptools"
    hidden.mkdir()
    (hidden / "__init__.py").write_text('raise ImportError("hidden by benchmarks.run_serve")\n')
    return target


def has_answer_cache(source: Path) -> bool:
    """Whether the revision in ``source`` has ``tohip serve --cache-size`` (releases before the
    answer cache had none, so their 'off' rows are simply the server as it shipped)."""
    return any("cache_size" in f.read_text("utf-8") for f in (source / "src").rglob("cli/*.py"))


def warm_every_worker(url: str, notes: list[str], rounds: int = 12) -> int:
    """Send every note on fresh connections, round after round, until a whole round is
    answered from memory (each under 10 ms; working a note takes 15 ms or more): every worker
    has then answered every note. The bytes are those wrk sends, since the cache keys on the
    body as sent. The rounds it took."""
    no_reuse = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(timeout=600, limits=no_reuse) as http:
        for done in range(1, rounds + 1):
            slowest = 0.0
            for note in notes:
                started = time.perf_counter()
                body = json.dumps({"note": note}).encode()  # the very bytes wrk sends
                sent = http.post(url, content=body, headers={"content-type": "application/json"})
                sent.raise_for_status()
                slowest = max(slowest, time.perf_counter() - started)
            if done > 1 and slowest < 0.010:
                return done
    return rounds


def drain(url: str, note: str) -> None:
    """Wait until requests that wrk abandoned at the end of a run are done: the server still
    works through them, and the next run must not pay for them."""
    httpx.post(url, json={"note": f"{note} (probe {time.time_ns()})"}, timeout=600)
    time.sleep(1)


def cli_baseline(note: str, repeats: int, folder: Path) -> dict[str, float]:
    path = folder / "note.txt"
    path.write_text(note)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "tohip", "assess", str(path), "--format", "json"],
                       capture_output=True, check=True)  # fmt: skip
        times.append((time.perf_counter() - started) * 1000)
    from tohip.web import service

    service.warm_up()
    in_process = []
    for _ in range(max(repeats * 10, 50)):
        started = time.perf_counter()
        service.assessment_json(service.work_note(note))
        in_process.append((time.perf_counter() - started) * 1000)
    return {"cli_process_ms": statistics.median(times),
            "in_process_ms": statistics.median(in_process)}  # fmt: skip


def memory(url: str, server: subprocess.Popen[bytes], notes: list[str], total: int
           ) -> dict[str, Any]:  # fmt: skip
    errors = send_count(url, notes, 100)
    after_100 = rss_kib(server.pid)
    errors += send_count(url, notes, total - 100)
    after_all = rss_kib(server.pid)
    return {
        "rss_after_100_kib": after_100,
        f"rss_after_{total}_kib": after_all,
        "growth_pct": round(100 * (after_all - after_100) / after_100, 1),
        "errors": errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--workers", default="1,2", help="worker counts to measure")
    parser.add_argument("--baseline-rev", default="main", help="'' to skip the baseline")
    parser.add_argument("--requests", type=int, default=10_000, help="for the memory check")
    parser.add_argument("--cli-repeats", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    note = NOTE_FILE.read_text()
    port = free_port()
    url = f"http://127.0.0.1:{port}{URL_PATH}"
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()  # fmt: skip
    results: dict[str, Any] = {"note_characters": len(note), "cpus": os.cpu_count(),
                               "revision": head, "load": []}  # fmt: skip
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        notes = distinct_notes(note, 120)
        script = lua_script(notes, folder)
        runs: list[tuple[str, int, str, list[str], Path | None]] = []
        for workers in (int(w) for w in args.workers.split(",")):
            extra = ["--workers", str(workers)]
            runs.append((head, workers, "off", [*extra, "--cache-size", "0"], None))
            runs.append((head, workers, "on, warm", extra, None))
        if args.baseline_rev:
            base = archive(args.baseline_rev, folder)
            # a baseline that had the answer cache is measured with it off, like the checkout
            off = ["--cache-size", "0"] if has_answer_cache(base) else []
            runs.append((args.baseline_rev, 1, "off", off, base))
            runs.append((args.baseline_rev, 1, "on, warm", ["--cache-size", "1000"], base))
        for revision, workers, cache, extra, source in runs:
            server = start_server(port, *extra, source=source)
            try:
                if cache == "off":
                    run_wrk(url, script, 2, 3)  # every worker past its first request
                    drain(url, note)
                    warm_rounds = 0
                else:
                    warm_rounds = warm_every_worker(url, notes)
                labels = {"revision": revision, "workers": workers, "cache": cache,
                          "warm_rounds": warm_rounds}  # fmt: skip
                results["load"] += load_rows(url, note, script, labels, args.seconds)
            finally:
                stop(server)
        # memory, one worker: notes it has not seen, no cache; then the default cache
        memory_notes = distinct_notes(note, 1000)
        server = start_server(port, "--cache-size", "0")
        try:
            results["memory_no_cache"] = memory(url, server, memory_notes, args.requests)
        finally:
            stop(server)
        print(json.dumps(results["memory_no_cache"]), flush=True)
        server = start_server(port)
        try:
            results["memory_default_cache"] = memory(url, server, notes[:100] + memory_notes[
                :100], args.requests)  # fmt: skip
        finally:
            stop(server)
        print(json.dumps(results["memory_default_cache"]), flush=True)
        results["baseline"] = cli_baseline(note, args.cli_repeats, folder)
        print(json.dumps(results["baseline"]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
