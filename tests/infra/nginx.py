"""Debian's nginx with config/nginx/ibok.conf, rendered with a test's addresses, certificate and folders.

No pytest here: the nginx test and the cluster test both start one with `Nginx.start()`.
"""

from __future__ import annotations

import os
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
CONF = ROOT / "config" / "nginx" / "ibok.conf"
NGINX = Path("/usr/sbin/nginx")
OPENSSL = Path("/usr/bin/openssl")
# The values IT changes in ibok.conf (its header lists them), as they stand in the file.
UPSTREAM = "    server 127.0.0.1:8000 max_fails=1 fail_timeout=5s;\n"
PLACES = {
    "server_name ibok.example.pl;": "server_name 127.0.0.1;",
    "/etc/ssl/ibok/": "{folder}/tls/",
    "/srv/ibok/static/": f"{ROOT}/static/",
    "listen 443 ssl;": "listen 127.0.0.1:{https_port} ssl;",
    "listen 80;": "listen 127.0.0.1:{http_port};",
}
# Debian's compiled-in paths are /run and /var/lib/nginx: everything of a test's server stays in its folder.
WRAPPER = """{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    # Which instance answered each request, so a test can tell whose requests failed.
    log_format upstreams '$status $upstream_addr $upstream_status $request_method $uri';
    access_log {folder}/access.log upstreams;
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    include {folder}/ibok.conf;
}}
"""


class NginxError(RuntimeError):
    """nginx could not be installed, configured or started."""


def debian_package(package: str, path: Path) -> Path:
    """A program from Debian's package, installed with apt-get when missing, as Chromium is."""
    if not path.exists():
        done = subprocess.run(["bash", str(ROOT / "scripts" / "install-debian-package"), package, str(path),
                               "the nginx and cluster tests"], capture_output=True, text=True)
        if done.returncode != 0:
            raise NginxError(done.stderr or done.stdout)
    return path


def render(conf: str, portals: list[str], values: dict[str, str]) -> str:
    """ibok.conf with the test's values in the places IT would change; a place gone from the file fails."""
    for place, value in PLACES.items():
        if place not in conf:
            raise NginxError(f"{CONF.name} no longer holds {place!r}")
        conf = conf.replace(place, value.format(**values))
    if UPSTREAM not in conf:
        raise NginxError(f"{CONF.name} no longer holds {UPSTREAM.strip()!r}")
    return conf.replace(UPSTREAM, "".join(f"    server {portal} max_fails=1 fail_timeout=5s;\n" for portal in portals))


def self_signed_certificate(folder: Path) -> Path:
    """A certificate for 127.0.0.1 (subjectAltName, so clients verify it) and its key; returns the certificate."""
    folder.mkdir(parents=True, exist_ok=True)
    openssl = debian_package("openssl", OPENSSL)
    subprocess.run([str(openssl), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(folder / "privkey.pem"), "-out", str(folder / "fullchain.pem")],
                   check=True, capture_output=True, timeout=60)
    return folder / "fullchain.pem"


@dataclass
class Nginx:
    """One nginx master with its worker; `https` is the base URL, `certificate` the file to verify it with."""

    process: subprocess.Popen[bytes]
    folder: Path
    https: str
    http: str
    certificate: Path

    @classmethod
    def start(cls, portals: list[str]) -> Nginx:
        binary = debian_package("nginx", NGINX)
        folder = Path(tempfile.mkdtemp(prefix="ibok-nginx-", dir="/tmp"))
        (folder / "tmp").mkdir()
        certificate = self_signed_certificate(folder / "tls")
        values = {"folder": str(folder), "https_port": str(free_port()), "http_port": str(free_port())}
        (folder / "ibok.conf").write_text(render(CONF.read_text(), portals, values))
        # As root the workers would run as `nobody`, who may not read a test's folders.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(WRAPPER.format(user=user, folder=folder))
        command = [str(binary), "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(folder / "nginx.conf")]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise NginxError(f"nginx -t refused the configuration:\n{checked.stderr}")
        process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        nginx = cls(process, folder, f"https://127.0.0.1:{values['https_port']}",
                    f"http://127.0.0.1:{values['http_port']}", certificate)
        nginx._wait_until_listening(int(values["https_port"]))
        return nginx

    def _wait_until_listening(self, port: int, seconds: float = 10.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise NginxError(f"nginx exited:\n{self.error_log()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.02)
        raise NginxError(f"nginx did not listen within {seconds} s:\n{self.error_log()}")

    def access_log(self) -> list[str]:
        log = self.folder / "access.log"
        return log.read_text(errors="replace").splitlines() if log.exists() else []

    def error_log(self) -> str:
        log = self.folder / "error.log"
        return log.read_text(errors="replace")[-3000:] if log.exists() else ""

    def stop(self) -> None:
        """Graceful stop (SIGQUIT), then the folder is removed; safe to call twice."""
        end(self.process, signal.SIGQUIT)
        shutil.rmtree(self.folder, ignore_errors=True)
