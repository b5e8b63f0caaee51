"""Connection settings for an ERP adapter: plain values, filled in by the portal from its configuration."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Iterable, Iterator, Mapping

# An option whose name holds one of these is a secret whatever the adapter declares.
SECRET_WORDS = ("password", "secret", "token", "key")
MASK = "***"
AUTH_KINDS = ("basic", "bearer", "api-key", "none")
# Settings that are credentials: never shown by repr, logs or config dumps.
SECRET_SETTINGS = frozenset({"password", "wsse_password", "token", "api_key"})


class SettingsError(ValueError):
    """The ERP settings cannot be used; the message names the setting, never its value."""


def is_secret_name(name: str, declared: Iterable[str] = ()) -> bool:
    """Secret by the adapter's word, or by a name no one should log (password, secret, token, key)."""
    lowered = name.lower()
    return name in declared or any(word in lowered for word in SECRET_WORDS)


class ErpOptions(Mapping[str, Any]):
    """An adapter's own settings, read-only: nested mappings stay ErpOptions and lists become tuples, so the
    settings holding them can key the per-process sessions and SOAP clients."""

    def __init__(self, values: Mapping[str, Any] | None = None, *, secret: Iterable[str] = ()) -> None:
        self.secret_names = frozenset(secret)
        self._values = {str(name): _frozen(value, self.secret_names) for name, value in (values or {}).items()}

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __hash__(self) -> int:
        return hash(frozenset(self._values.items()))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        shown = {name: MASK if self.is_secret(name) else value for name, value in self._values.items()}
        return f"ErpOptions({shown!r})"

    def is_secret(self, name: str) -> bool:
        """Whether the option named is a credential, declared by the adapter or by its name."""
        return is_secret_name(name, self.secret_names)

    def secret_values(self) -> frozenset[str]:
        """Every secret option's text, at any depth: what a recording must never keep."""
        found: set[str] = set()
        for name, value in self._values.items():
            if isinstance(value, ErpOptions):
                found |= value.secret_values()
            elif self.is_secret(name) and value not in (None, ""):
                found.add(str(value))
        return frozenset(found)


def _frozen(value: Any, secret: frozenset[str]) -> Any:
    if isinstance(value, Mapping):
        return ErpOptions(value, secret=secret)
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(item, secret) for item in value)
    return value


@dataclass(frozen=True, repr=False)
class ErpSettings:
    url: str = ""
    connect_timeout: float = 3.05
    read_timeout: float = 10.0
    deadline: float = 15.0  # seconds for one port operation, all its HTTP exchanges together
    max_response_bytes: int = 20 * 1024 * 1024
    verify_tls: bool = True
    ca_bundle: str | None = None
    client_cert: str | None = None
    client_key: str | None = None
    auth: str = "basic"  # how HTTP requests authenticate: one of AUTH_KINDS
    username: str | None = None
    password: str | None = None
    token: str | None = None  # auth "bearer"
    api_key_header: str = "X-API-Key"  # auth "api-key"
    api_key: str | None = None
    wsse_username: str | None = None
    wsse_password: str | None = None
    pool_size: int = 20
    options: ErpOptions = field(default_factory=ErpOptions)

    def __post_init__(self) -> None:
        if not isinstance(self.options, ErpOptions):
            object.__setattr__(self, "options", ErpOptions(self.options))
        if self.auth not in AUTH_KINDS:
            raise SettingsError(f"ERP_AUTH must be one of {', '.join(AUTH_KINDS)}")
        if self.auth == "bearer" and not self.token:
            raise SettingsError("ERP_AUTH \"bearer\" needs ERP_TOKEN")
        if self.auth == "api-key" and not (self.api_key and self.api_key_header):
            raise SettingsError("ERP_AUTH \"api-key\" needs ERP_API_KEY and ERP_API_KEY_HEADER")

    def __repr__(self) -> str:
        return f"ErpSettings({', '.join(f'{item.name}={self._shown(item.name)}' for item in fields(self))})"

    def _shown(self, name: str) -> str:
        value = getattr(self, name)
        return MASK if name in SECRET_SETTINGS and value else repr(value)

    @property
    def timeout(self) -> tuple[float, float]:
        """The (connect, read) pair requests expects; never None, so no call waits forever."""
        return (self.connect_timeout, self.read_timeout)

    def secret_values(self) -> frozenset[str]:
        """Every credential in these settings, options included: what logs and recordings must never show."""
        own = {str(getattr(self, name)) for name in SECRET_SETTINGS if getattr(self, name)}
        return frozenset(own) | self.options.secret_values()
