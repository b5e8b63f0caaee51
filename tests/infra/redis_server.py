"""A real Redis from Debian's package on a free loopback port, without persistence: started for the tests.

No pytest here: the cache tests and the multi-process cluster test both start one with `RedisServer.start()`.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.infra.processes import end, free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = Path("/usr/bin/redis-server")


class RedisServerError(RuntimeError):
    """The test server could not be installed or started."""


def redis_binary() -> Path:
    """Debian's redis-server, installed with apt-get when missing, as Chromium is."""
    if not REDIS_SERVER.exists():
        done = subprocess.run(["bash", str(ROOT / "scripts" / "install-debian-package"), "redis-server",
                               str(REDIS_SERVER), "the Redis tests"], capture_output=True, text=True)
        if done.returncode != 0:
            raise RedisServerError(done.stderr or done.stdout)
    return REDIS_SERVER


@dataclass
class RedisServer:
    """One redis-server process; `pause`/`resume` make it hang (SIGSTOP), `stop` ends it."""

    process: subprocess.Popen[bytes]
    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @classmethod
    def start(cls, port: int | None = None, config: Path | None = None) -> RedisServer:
        """On the port (else a free one); with `config`, that file's settings under the test's own."""
        folder = Path(tempfile.mkdtemp(prefix="ibok-redis-", dir="/tmp"))
        port = port or free_port()
        command = [str(redis_binary()), *([str(config)] if config else []), "--port", str(port), "--bind", "127.0.0.1",
                   "--save", "", "--appendonly", "no", "--dir", str(folder), "--logfile", str(folder / "redis.log"),
                   "--daemonize", "no"]
        server = cls(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), port, folder)
        server.wait_until_answering()
        return server

    def wait_until_answering(self, seconds: float = 10.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RedisServerError(f"redis-server exited: {self._log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.02)
        raise RedisServerError(f"redis-server did not answer in {seconds} s: {self._log()}")

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        """End the server and remove its folder; safe to call twice."""
        if self.process.poll() is None:
            self.resume()
        end(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)

    def restart(self) -> None:
        """Stopped and started again on the same port, empty (no persistence)."""
        self.stop()
        replacement = RedisServer.start(self.port)
        self.process, self.folder = replacement.process, replacement.folder

    def _log(self) -> str:
        log = self.folder / "redis.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""
