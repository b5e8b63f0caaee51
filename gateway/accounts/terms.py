"""The versioned terms a customer accepts before using the portal: Regulamin IBOK and Regulamin e-faktury."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from gateway.clock import utcnow
from gateway.db.models import Account, ConsentRecord

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
# Keys as they appear in URLs and in the consent log.
IBOK = "regulamin-ibok"
EINVOICE = "regulamin-e-faktury"
EINVOICE_CONSENT = "e-faktura"


@dataclass(frozen=True)
class TermsDocument:
    key: str
    title: LazyString
    version: str
    path: Path

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def _path(configured: str) -> Path:
    path = Path(configured)
    return path if path.is_absolute() else CONFIG_DIR / path


def current_versions() -> dict[str, str]:
    """The versions in force now, from configuration."""
    config = current_app.config
    return {IBOK: config["TERMS_IBOK_VERSION"], EINVOICE: config["TERMS_EINVOICE_VERSION"]}


def current_terms() -> dict[str, TermsDocument]:
    """The documents in force now, from configuration, in the order they are shown."""
    config, versions = current_app.config, current_versions()
    return {
        IBOK: TermsDocument(IBOK, _l("Portal terms (Regulamin IBOK)"), versions[IBOK],
                            _path(config["TERMS_IBOK_FILE"])),
        EINVOICE: TermsDocument(EINVOICE, _l("E-invoice terms (Regulamin e-faktury)"),
                                versions[EINVOICE], _path(config["TERMS_EINVOICE_FILE"])),
    }


def accepted_versions(account: Account) -> dict[str, str | None]:
    return {IBOK: account.terms_ibok_version, EINVOICE: account.terms_einvoice_version}


def outdated_terms(account: Account) -> list[TermsDocument]:
    """Documents whose current version this account has not accepted yet (a new version asks again)."""
    accepted = accepted_versions(account)
    return [doc for key, doc in current_terms().items() if accepted[key] != doc.version]


def needs_onboarding(account: Account) -> bool:
    """A one-time password or terms not accepted in their current version: nothing else opens until done.
    Asked on every page, so it compares versions without building the documents."""
    return account.password_is_one_time or accepted_versions(account) != current_versions()


def accept_terms(account: Account, documents: list[TermsDocument], address: str | None) -> None:
    """Remember the versions on the account and add one consent record per document."""
    for doc in documents:
        if doc.key == IBOK:
            account.terms_ibok_version = doc.version
        else:
            account.terms_einvoice_version = doc.version
        account.consents.append(
            ConsentRecord(document=doc.key, version=doc.version, granted=True, recorded_at=utcnow(),
                          client_address=address)
        )
