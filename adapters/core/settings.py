"""Connection settings for an ERP adapter: plain values, filled in by the portal from its configuration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErpSettings:
    url: str = ""
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    deadline: float = 15.0
    max_response_bytes: int = 20 * 1024 * 1024
    verify_tls: bool = True
    ca_bundle: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    username: str | None = None
    password: str | None = None
    wsse_username: str | None = None
    wsse_password: str | None = None
    pool_size: int = 20

    @property
    def timeout(self) -> tuple[float, float]:
        """The (connect, read) pair requests expects; never None, so no call waits forever."""
        return (self.connect_timeout, self.read_timeout)
