"""Which HTTP parser and event loop ``tohip serve`` runs on (issue 11, session 5).

One worker, the answer cache warm with the typical note, wrk at 64 connections for
``--seconds``: h11 or httptools, asyncio or uvloop (uvloop only when installed; tohip does not
depend on it). Alternates the configurations for ``--rounds`` rounds so that the machine's
changing load falls on all of them alike; prints one JSON line per run and the medians.

    python -m benchmarks.run_serve_parsers [--rounds 3] [--seconds 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run_serve import NOTE_FILE, URL_PATH, free_port, lua_script, run_wrk, stop

SERVER = """
import logging, sys, uvicorn
from tohip.web import ServeSettings, create_app
logging.basicConfig(level=logging.INFO, stream=open("/dev/null", "w"))
port = int(sys.argv[1])
uvicorn.run(create_app(ServeSettings(rate_per_minute=0, port=port)), port=port,
            http=sys.argv[2], loop=sys.argv[3], access_log=False, log_config=None)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    import httpx

    configs = [("h11", "asyncio"), ("httptools", "asyncio")]
    if importlib.util.find_spec("uvloop") is not None:
        configs += [("httptools", "uvloop")]
    note = NOTE_FILE.read_text()
    found: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as temp:
        script = lua_script([note], Path(temp))
        for _ in range(args.rounds):
            for http, loop in configs:
                port = free_port()
                url = f"http://127.0.0.1:{port}{URL_PATH}"
                server = subprocess.Popen([sys.executable, "-c", SERVER, str(port), http, loop],
                                          stderr=subprocess.DEVNULL)  # fmt: skip
                try:
                    for _attempt in range(600):
                        try:
                            httpx.post(url, json={"note": note}, timeout=60).raise_for_status()
                            break
                        except httpx.TransportError:
                            time.sleep(0.2)
                    run_wrk(url, script, 2, 1)  # the note is now in the cache
                    row = run_wrk(url, script, 64, args.seconds)
                finally:
                    stop(server)
                label = f"{http}+{loop}"
                found.setdefault(label, []).append(row)
                print(json.dumps({"parser": label, **row}), flush=True)
    for label, rows in found.items():
        medians = {k: statistics.median(r[k] for r in rows)
                   for k in ("p50_ms", "p99_ms", "requests_per_s")}  # fmt: skip
        print(json.dumps({"parser": label, "median_of": len(rows), **medians}), flush=True)


if __name__ == "__main__":
    main()
