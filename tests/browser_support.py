"""What the real-browser tests share: Debian's Chromium, and a Streamlit server started and always stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
# Without the background-networking flags Chromium keeps trying hosts this closed network refuses.
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NEEDS_CHROMIUM = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, attempts: int = 300) -> None:
    for _ in range(attempts):
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"streamlit did not answer at {url}")


@contextmanager
def streamlit_server(
    script: Path | None, cwd: Path, log_path: Path, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`streamlit run script` (or `simulator app` for None) headless on a free loopback port; yields its URL."""
    with streamlit_process(script, cwd, log_path, env) as (url, _):
        yield url


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, in seconds, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of stat(5); after the ")" they are the 12th and 13th.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def streamlit_process(
    script: Path | None,
    cwd: Path,
    log_path: Path,
    env: dict[str, str] | None = None,
    port: int | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Like `streamlit_server`, but yields the process too (to measure its CPU time); `port` to restart one.

    `script=None` starts the README's `simulator app` instead of `streamlit run script`.
    """
    port = port or free_port()
    if script is None:
        launcher = [sys.executable, "-c", "from simulator.cli import app; app()", "app"]
    else:
        launcher = [sys.executable, "-m", "streamlit", "run", str(script)]
    command = [
        *launcher,
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        # Other work on the same checkout must not reload the server's modules in the middle of a test.
        "--server.fileWatcherType",
        "none",
    ]
    # The server's output goes to a file: an unread pipe would fill up and block the server.
    with log_path.open("a") as log:
        process = subprocess.Popen(
            command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, process)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
