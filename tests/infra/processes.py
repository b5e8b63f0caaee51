"""What every test server shares: a free loopback port, and an end that waits, then kills."""

from __future__ import annotations

import signal
import socket
import subprocess


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def end(process: subprocess.Popen[bytes], how: signal.Signals = signal.SIGTERM, seconds: float = 10.0) -> None:
    """Ask the process to stop with `how`; SIGKILL if it has not within `seconds`."""
    if process.poll() is not None:
        return
    process.send_signal(how)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
