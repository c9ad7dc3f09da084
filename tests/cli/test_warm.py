"""The warm reader (`tohip warm`), through the real command in subprocesses: the same bytes,
status and errors as reading in-process, and a fallback to in-process reading whenever the warm
reader cannot be used. Every test runs in a temporary XDG_RUNTIME_DIR; fixtures stop every
reader they start."""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tohip.cli.warm.common import PROTOCOL, encode, fingerprint, receive
from tohip.kb.loader import default_directory

pytestmark = pytest.mark.slow

NOTE = (
    "HPI: 38 yo woman, 34 weeks pregnant, 4 weeks of left hip pain when walking. No fever.\n"
    "Labs: CRP 0.4 mg/dL. MRI: diffuse bone marrow edema of the left femoral head and neck.\n"
)
OTHER = "67M, R hip pain 2/52, fever 38.9, WBC 15,800/uL, CRP 12 mg/dL. Hip aspiration pending.\n"


def _env(runtime: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TOHIP_WARM", "COLUMNS", "LINES")}
    env["XDG_RUNTIME_DIR"] = str(runtime)
    env.update(extra)
    return env


def tohip(
    env: dict[str, str], *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tohip", *args], input=stdin, capture_output=True, env=env,
        cwd=REPO, timeout=300, check=False,
    )  # fmt: skip


def _pid(status: str) -> int | None:
    found = re.search(r"pid (\d+)", status)
    return int(found.group(1)) if found else None


def requests(env: dict[str, str]) -> int:
    """How many commands the running reader has answered."""
    done = tohip(env, "warm", "status")
    found = re.search(r"(\d+) request", done.stdout.decode())
    assert found, done
    return int(found.group(1))


@contextlib.contextmanager
def warm_reader(env: dict[str, str]) -> Iterator[int]:
    started = tohip(env, "warm", "start", "--idle", "300")
    assert started.returncode == 0, started.stderr
    pid = _pid(started.stdout.decode())
    assert pid is not None
    try:
        yield pid
    finally:
        tohip(env, "warm", "stop")
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("runtime")
    folder.chmod(0o700)
    return folder


@pytest.fixture(scope="module")
def warm(runtime: Path) -> Iterator[dict[str, str]]:
    """The environment of a running warm reader (one for the module)."""
    env = _env(runtime)
    with warm_reader(env):
        yield env


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notes")
    (folder / "pregnant.txt").write_text(NOTE)
    (folder / "febrile hip.txt").write_text(OTHER)
    (folder / "blank.txt").write_text("  \n\n")
    (folder / "binary.txt").write_bytes(b"MRI\x00\x01")
    (folder / "pregnant.json").write_text(NOTE)  # extract reads any path as a note
    (folder / "case.JSON").write_text(
        '{"patient": {"age": 31, "sex": "female"}, "labs": {"crp": 4}}'
    )
    (folder / "bad case.json").write_text('{"patient": {"age": "old"}, "patient": {}}')
    return folder


def same_as_cold(env: dict[str, str], *args: str, stdin: bytes | None = None) -> None:
    warm_done = tohip(env, *args, stdin=stdin)
    cold_done = tohip({**env, "TOHIP_WARM": "off"}, *args, stdin=stdin)
    assert warm_done.stdout == cold_done.stdout
    assert warm_done.stderr == cold_done.stderr
    assert warm_done.returncode == cold_done.returncode


def test_start_status_stop(tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = _env(runtime)
    assert tohip(env, "warm", "status").returncode == 1
    with warm_reader(env) as pid:
        folder = runtime / "tohip"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE((folder / "reader.sock").lstat().st_mode) == 0o600
        status = tohip(env, "warm", "status")
        assert status.returncode == 0
        assert f"pid {pid}, this build" in status.stdout.decode()
        again = tohip(env, "warm", "start")
        assert again.returncode == 0 and b"already running" in again.stdout
        stopped = tohip(env, "warm", "stop")
        assert stopped.returncode == 0 and f"pid {pid}".encode() in stopped.stdout
        assert not (folder / "reader.sock").exists()
        assert tohip(env, "warm", "status").returncode == 1


@pytest.mark.parametrize(
    "args",
    [
        ["assess", "{notes}/pregnant.txt"],
        ["assess", "{notes}/pregnant.txt", "--format", "json"],
        ["assess", "--format=json", "{notes}/febrile hip.txt", "--note-date", "2024-03-01"],
        ["assess", "-f", "text", "{notes}/febrile hip.txt"],
        ["extract", "{notes}/pregnant.txt", "-f", "json"],
        ["extract", "{notes}/febrile hip.txt"],
        ["assess", "{notes}/missing.txt", "-f", "json"],
        ["assess", "{notes}/blank.txt"],
        ["assess", "{notes}/binary.txt"],
        ["assess", "{notes}"],
        ["assess", "{notes}/pregnant.txt", "--note-date", "1850-01-01"],
        ["assess", "{notes}/pregnant.txt", "--note-date", "2024-02-30"],
        ["assess", "{notes}/pregnant.txt", "--format", "xml"],
        ["assess", "{notes}/pregnant.txt", "--bogus"],
        ["assess", "{repo}/examples/toh_middle_aged_man.json"],
        ["assess", "{repo}/examples/febrile_hip.json", "-f", "json"],
        ["assess", "{notes}/case.JSON", "-f", "json"],
        ["assess", "{notes}/bad case.json"],
        ["assess", "{notes}/missing.json"],
        ["extract", "{notes}/pregnant.json", "-f", "json"],
    ],
)
def test_warm_output_is_the_in_process_output(
    warm: dict[str, str], notes: Path, args: list[str]
) -> None:
    before = requests(warm)
    same_as_cold(warm, *(a.format(notes=notes, repo=REPO) for a in args))
    forwarded = args[-1] not in ("xml", "2024-02-30", "--bogus")
    assert requests(warm) == before + forwarded


@pytest.mark.parametrize("text", [NOTE.encode(), b"", b"\xff\xfe not utf-8"])
def test_standard_input_is_read_once_and_answered_the_same(
    warm: dict[str, str], text: bytes
) -> None:
    before = requests(warm)
    same_as_cold(warm, "assess", "-", "--format", "json", stdin=text)
    same_as_cold(warm, "assess", "-", stdin=text)
    assert requests(warm) == before + 2


def test_the_terminal_width_and_colour_environment_reach_the_rendering(
    warm: dict[str, str], notes: Path
) -> None:
    narrow = {**warm, "COLUMNS": "60", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    same_as_cold(narrow, "assess", str(notes / "pregnant.txt"))
    assert b"\x1b[" in tohip(narrow, "assess", str(notes / "pregnant.txt")).stdout


def _on_a_terminal(env: dict[str, str], *args: str) -> tuple[bytes, int]:
    """What the command writes to a 97-column pseudo-terminal (standard input, output and error
    on it, as in an interactive shell), and its exit status."""
    controller, terminal = os.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 41, 97, 0, 0))
    try:
        done = subprocess.Popen(
            [sys.executable, "-m", "tohip", *args], stdin=terminal, stdout=terminal,
            stderr=terminal, env=env, cwd=REPO,
        )  # fmt: skip
        os.close(terminal)
        chunks = []
        with contextlib.suppress(OSError):  # EIO once the command has closed the terminal
            while chunk := os.read(controller, 1 << 16):
                chunks.append(chunk)
        return b"".join(chunks), done.wait(timeout=300)
    finally:
        os.close(controller)


def test_a_terminal_gets_the_in_process_rendering(warm: dict[str, str], notes: Path) -> None:
    before = requests(warm)
    env = {**warm, "TERM": "xterm-256color"}
    warm_output = _on_a_terminal(env, "assess", str(notes / "pregnant.txt"))
    cold_output = _on_a_terminal(
        {**env, "TOHIP_WARM": "off"}, "assess", str(notes / "pregnant.txt")
    )
    assert warm_output == cold_output
    assert b"\x1b[" in warm_output[0] and warm_output[1] == 0  # colours: a terminal was seen
    assert requests(warm) == before + 1


def _ask(runtime: Path, message: dict[str, object]) -> dict[str, object] | None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(60)
        sock.connect(str(runtime / "tohip" / "reader.sock"))
        sock.sendall(encode(message))
        return receive(sock, 1 << 24)


def test_the_reader_runs_only_what_a_client_forwards(
    warm: dict[str, str], runtime: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.html"
    request = {"protocol": PROTOCOL, "op": "run", "build": fingerprint(), "prog": "tohip",
               "name": "n.txt", "note": base64.b64encode(NOTE.encode()).decode()}  # fmt: skip
    refused = _ask(runtime, {**request, "argv": ["handout", "n.txt", "--html", str(out)]})
    assert refused == {"status": "error", "message": "bad request"}
    assert not out.exists()
    answered = _ask(runtime, {**request, "argv": ["assess", "n.txt", "-f", "json"]})
    assert answered is not None and answered["status"] == "ok" and answered["exit"] == 0
    stale = _ask(runtime, {**request, "build": "0" * 64, "argv": ["assess", "n.txt"]})
    assert stale == {"status": "stale"}


def test_off_means_in_process(warm: dict[str, str], notes: Path) -> None:
    before = requests(warm)
    done = tohip({**warm, "TOHIP_WARM": "off"}, "assess", str(notes / "pregnant.txt"))
    assert done.returncode == 0
    assert requests(warm) == before


def test_another_build_is_stale_and_read_in_process(
    warm: dict[str, str], notes: Path, tmp_path: Path
) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(default_directory(), kb)
    other = {**warm, "TOHIP_KB_DIR": str(kb)}
    status = tohip(other, "warm", "status")
    assert status.returncode == 1 and b"stale" in status.stdout
    before = requests(warm)
    same_as_cold(other, "assess", str(notes / "pregnant.txt"), "-f", "json")
    assert requests(warm) == before


def test_a_socket_folder_open_to_others_is_not_used(
    warm: dict[str, str], notes: Path, runtime: Path
) -> None:
    before = requests(warm)
    (runtime / "tohip").chmod(0o755)
    try:
        same_as_cold(warm, "assess", str(notes / "pregnant.txt"))
        assert tohip(warm, "warm", "status").returncode == 1
    finally:
        (runtime / "tohip").chmod(0o700)
    assert requests(warm) == before


def test_a_killed_reader_falls_back(notes: Path, tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = _env(runtime)
    with warm_reader(env) as pid:
        os.kill(pid, signal.SIGKILL)
        same_as_cold(env, "assess", "-", "-f", "json", stdin=NOTE.encode())
        same_as_cold(env, "assess", str(notes / "pregnant.txt"))


def test_start_refuses_a_folder_open_to_others(tmp_path: Path) -> None:
    (tmp_path / "tohip").mkdir(mode=0o755)
    (tmp_path / "tohip").chmod(0o755)
    done = tohip(_env(tmp_path), "warm", "start")
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.startswith(b"tohip: error: cannot use the socket folder")
    assert done.stderr.count(b"\n") == 1
    assert not (tmp_path / "tohip" / "reader.sock").exists()


def test_an_idle_reader_exits_and_removes_its_socket(tmp_path: Path) -> None:
    env = _env(tmp_path)
    started = tohip(env, "warm", "start", "--idle", "1")
    assert started.returncode == 0, started.stderr
    pid = _pid(started.stdout.decode())
    assert pid is not None
    try:
        deadline = time.monotonic() + 60
        while (tmp_path / "tohip" / "reader.sock").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not (tmp_path / "tohip" / "reader.sock").exists()
        assert tohip(env, "warm", "status").stdout == b"no warm reader running\n"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _fake_reader(folder: Path, reply: bytes, mode: int) -> tuple[socket.socket, list[bytes]]:
    """A socket at the reader's place that answers every request with ``reply``."""
    folder.mkdir(parents=True, mode=0o700)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(folder / "reader.sock"))
    (folder / "reader.sock").chmod(mode)
    server.listen(4)
    asked: list[bytes] = []

    def answer() -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = server.accept()
                with conn:
                    asked.append(conn.recv(1 << 20))
                    conn.sendall(reply)

    threading.Thread(target=answer, daemon=True).start()
    return server, asked


def test_a_socket_others_may_write_is_not_asked(tmp_path: Path) -> None:
    env = _env(tmp_path / "run")
    server, asked = _fake_reader(tmp_path / "run" / "tohip", b"", 0o600)
    try:
        same_as_cold(env, "assess", "-", stdin=NOTE.encode())
        assert len(asked) == 1  # private: asked (and fell back on the empty answer)
        (tmp_path / "run" / "tohip" / "reader.sock").chmod(0o666)
        same_as_cold(env, "assess", "-", stdin=NOTE.encode())
    finally:
        server.close()
    assert len(asked) == 1  # open to others: never asked


@pytest.mark.parametrize(
    "reply", [b"", b"not json\n", b'{"status": "ok", "stdout": 3}\n', b'{"status": "stale"}\n']
)
def test_a_garbled_answer_falls_back(tmp_path: Path, reply: bytes) -> None:
    server, asked = _fake_reader(tmp_path / "run" / "tohip", reply, 0o600)
    try:
        same_as_cold(_env(tmp_path / "run"), "assess", "-", stdin=NOTE.encode())
    finally:
        server.close()
    assert len(asked) == 1  # the client asked (the in-process run was told TOHIP_WARM=off)


@pytest.mark.parametrize("name", ["pregnant.txt", "case.JSON"])
def test_the_client_imports_nothing_heavy(warm: dict[str, str], notes: Path, name: str) -> None:
    code = (
        "import json, sys\n"
        f"sys.argv = ['tohip', 'assess', {str(notes / name)!r}, '-f', 'json']\n"
        "from tohip.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('spacy', 'medspacy', 'pydantic', 'typer', 'rich', 'yaml', 'numpy')"
        " or m.startswith(('tohip.text', 'tohip.engine', 'tohip.case', 'tohip.cli.app')))\n"
        "sys.stderr.write(json.dumps({'code': code, 'heavy': heavy}))\n"
    )
    before = requests(warm)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=warm, timeout=300, check=False
    )
    assert json.loads(done.stdout)["differential"]
    assert json.loads(done.stderr) == {"code": 0, "heavy": []}
    assert requests(warm) == before + 1


def test_a_request_past_its_time_limit_is_read_in_process_and_the_reader_exits(
    notes: Path, tmp_path: Path
) -> None:
    """The time limit (here 1 ms, below any real read) interrupts the reader wherever it is, so
    it answers that once, lets the client read in-process, and leaves rather than serve again
    from state the interruption may have broken."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = _env(runtime)
    server = subprocess.Popen(
        [sys.executable, "-m", "tohip.cli.warm.server", "--idle", "300", "--time-limit", "0.001"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=REPO,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        assert server.stdout.readline().startswith(b"ready"), "the reader did not start"
        assert requests(env) == 0
        same_as_cold(env, "assess", str(notes / "pregnant.txt"), "-f", "json")
        assert server.wait(timeout=30) == 0
        assert not (runtime / "tohip" / "reader.sock").exists()
        assert tohip(env, "warm", "status").stdout == b"no warm reader running\n"
    finally:
        with contextlib.suppress(ProcessLookupError):
            server.kill()
        server.wait(timeout=30)
        if server.stdout is not None:
            server.stdout.close()
