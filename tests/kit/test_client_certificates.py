"""Mutual TLS for real: an ERP on loopback that demands a client certificate gets the one IT configured."""

from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
from pathlib import Path

import pytest

from adapters.kit import ErpHttp, ErpSettings, ErpUnavailable

OPENSSL = "/usr/bin/openssl"


def certificate(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed EC certificate for 127.0.0.1 (quick to make), and its key."""
    cert, key = folder / f"{name}.pem", folder / f"{name}-key.pem"
    subprocess.run([OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "1", "-subj", f"/CN={name}", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


class Echo(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        """Answers with the common name of the certificate the client presented."""
        subject = dict(pair[0] for pair in self.connection.getpeercert()["subject"])
        body = subject["commonName"].encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the answers, not the server's log."""


@pytest.fixture(scope="module")
def erp(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mtls")
    server_cert, server_key = certificate(folder, "erp")
    client_cert, client_key = certificate(folder, "ibok-portal")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=str(client_cert))
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_cert_chain(str(server_cert), str(server_key))
    server = http.server.HTTPServer(("127.0.0.1", 0), Echo)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_address[1]}/", server_cert, client_cert, client_key
    server.shutdown()
    server.server_close()


def test_the_configured_client_certificate_is_presented(erp):
    url, ca, cert, key = erp
    settings = ErpSettings(url=url, ca_bundle=str(ca), client_cert=str(cert), client_key=str(key), deadline=5.0)
    reply = ErpHttp(settings).send("get_customer", "GET", url, idempotent=True)
    assert (reply.status, reply.content) == (200, b"ibok-portal")


def test_without_a_client_certificate_the_erp_is_unavailable(erp):
    url, ca, _, _ = erp
    http = ErpHttp(ErpSettings(url=url, ca_bundle=str(ca), deadline=5.0))
    with pytest.raises(ErpUnavailable):
        http.send("get_customer", "GET", url, idempotent=False)
