"""Running the real ``tohip`` command as a hostile user would, with its cost measured.

Each run is a child process (``python -m tohip``) whose CPU time and peak memory come from the
kernel (``os.wait4``), so the bounds hold for the process that did the work, not for the test.
A hard address-space limit keeps a runaway child from taking the machine down with it; a wall
clock limit keeps a hang (a FIFO opened for reading) from stopping the suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

CPU_SECONDS_LIMIT = 3.0  # the bound for any input under the size limits
RSS_BYTES_LIMIT = 500 * 1024 * 1024
WALL_SECONDS_LIMIT = 120.0  # a hang guard only: CPU time is the bound; the machine is shared
ADDRESS_SPACE_CAP = 6 * 1024**3  # far above normal use; stops a runaway child


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    cpu_seconds: float
    max_rss_bytes: int
    timed_out: bool

    def lines(self) -> list[str]:
        return self.stderr.splitlines()


# Linux keeps a process's peak RSS across exec, and a child forked from the test process starts
# with the test process's own pages; its ``ru_maxrss`` would then be pytest's size, not tohip's
# (the suite's process passes 500 MB late in a full run). So a small launcher is started first
# and forks the real command: that grandchild begins from the launcher's few megabytes, and the
# launcher reports the grandchild's own usage (``os.wait4``) to a file.
_LAUNCHER = """
import json, os, sys
usage_file, argv = sys.argv[1], sys.argv[2:]
pid = os.fork()
if pid == 0:
    os.execv(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
with open(usage_file, "w") as out:
    json.dump({"cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss}, out)
code = os.waitstatus_to_exitcode(status)
os._exit(code if code >= 0 else 128 - code)
"""


def _kill_group(leader: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(leader, 9)


def _child_setup(close: tuple[int, ...], umask: int | None) -> Callable[[], None]:
    def setup() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_CAP, ADDRESS_SPACE_CAP))
        for fd in close:  # a really closed descriptor, as the shell's <&- or >&- gives
            os.close(fd)
        if umask is not None:
            os.umask(umask)

    return setup


def run_tohip(
    *args: str,
    cwd: Path,
    stdin: int | IO[bytes] | None = subprocess.DEVNULL,
    stdout: int | None = None,
    env: dict[str, str] | None = None,
    timeout: float = WALL_SECONDS_LIMIT,
    close_in_child: tuple[int, ...] = (),
    umask: int | None = None,
) -> Run:
    """``python -m tohip ARGS`` in ``cwd``; exit status, output, CPU time and peak RSS."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        environment = {**os.environ, "COLUMNS": "400", "NO_COLOR": "1", **(env or {})}
        usage_file = Path(scratch) / "usage.json"
        launcher = [sys.executable, "-c", _LAUNCHER, str(usage_file)]
        started = time.monotonic()
        proc = subprocess.Popen(
            [*launcher, sys.executable, "-m", "tohip", *args],
            cwd=cwd,
            stdin=stdin,
            stdout=out if stdout is None else stdout,
            stderr=err,
            env=environment,
            preexec_fn=_child_setup(close_in_child, umask),
            start_new_session=True,  # the launcher and the command are killed together
        )
        timer = threading.Timer(timeout, _kill_group, (proc.pid,))
        timer.start()
        try:
            _, status, _ = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
        usage = json.loads(usage_file.read_text()) if usage_file.exists() else None
        timed_out = time.monotonic() - started >= timeout
        out.seek(0)
        err.seek(0)
        return Run(
            code=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            cpu_seconds=usage["cpu"] if usage else float("inf"),
            max_rss_bytes=usage["maxrss_kb"] * 1024 if usage else 0,  # kilobytes on Linux
            timed_out=timed_out,
        )


def assert_refused(run: Run, fragment: str) -> None:
    """The promise for bad input: exit 2, one line on stderr naming it, nothing on stdout,
    within the time and memory bounds."""
    assert not run.timed_out, "hung: killed after the wall-clock limit"
    assert run.code == 2, (run.code, run.stderr[-2000:])
    assert run.stdout == "", run.stdout[:500]
    lines = run.lines()
    assert len(lines) == 1, run.stderr[-2000:]
    assert lines[0].startswith("tohip: error: "), lines[0]
    assert fragment.lower() in lines[0].lower(), lines[0]
    assert_bounded(run)


def assert_bounded(run: Run) -> None:
    assert run.cpu_seconds < CPU_SECONDS_LIMIT, f"{run.cpu_seconds:.2f} s of CPU"
    assert run.max_rss_bytes < RSS_BYTES_LIMIT, f"{run.max_rss_bytes / 2**20:.0f} MB peak RSS"


@pytest.fixture()
def tohip(tmp_path: Path) -> Callable[..., Run]:
    """Runs ``tohip`` in this test's own folder (outputs and leftovers land there)."""

    def call(*args: str, **kwargs: object) -> Run:
        return run_tohip(*args, cwd=tmp_path, **kwargs)  # type: ignore[arg-type]

    return call
