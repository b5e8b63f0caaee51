"""The portal's tables: accounts, consents given, the audit log and sign-in throttling. Nothing from the ERP."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gateway.clock import utcnow
from gateway.db.database import Base


class Account(UserMixin, Base):
    """A customer's sign-in: the login staff assigned, the ERP customer it shows, and its state."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    password_is_one_time: Mapped[bool] = mapped_column(Boolean, default=True)
    password_set_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped by sign-out, a password change or a lock: every session cookie carrying the old value dies.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    terms_ibok_version: Mapped[str | None] = mapped_column(String(32), default=None)
    terms_einvoice_version: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    # When the customer last started an online payment (gateway/payments/hint.py); NULL: not known yet.
    last_payment_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    # The language the customer last chose in the portal ("pl", "en"), for its e-mails and SMS; NULL: never chosen,
    # so the utility's default (BABEL_DEFAULT_LOCALE).
    language: Mapped[str | None] = mapped_column(String(8), default=None)

    consents: Mapped[list[ConsentRecord]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True
    )
    # Further customer ids the office linked; loaded with the account's row on each request (sessions.py).
    links: Mapped[list[AccountLink]] = relationship(
        back_populates="account", cascade="all, delete-orphan", passive_deletes=True,
        order_by="AccountLink.customer_id",
    )

    def get_id(self) -> str:
        """Flask-Login's alternative id: the version makes a copied cookie useless once it changes."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return not self.locked

    def end_sessions(self) -> None:
        """Every session signed with the current version stops working on its next request."""
        self.session_version += 1


class ConsentRecord(Base):
    """One acceptance or withdrawal: which document, which version, when, from which address."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    document: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(32))
    granted: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    client_address: Mapped[str | None] = mapped_column(String(64), default=None)

    account: Mapped[Account] = relationship(back_populates="consents")


class AccountLink(Base):
    """One more ERP customer an account may show (a property manager's buildings), agreed as an account is."""

    __tablename__ = "account_links"
    __table_args__ = (UniqueConstraint("account_id", "customer_id", name="uq_account_links_account_customer"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    account: Mapped[Account] = relationship(back_populates="links")


class AuditEntry(Base):
    """Who did what, when and from where. Kept after an account is deleted, so it names the login too."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    account_id: Mapped[int | None] = mapped_column(Integer, index=True, default=None)
    login: Mapped[str | None] = mapped_column(String(64), default=None)
    action: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[str] = mapped_column(Text, default="{}")
    client_address: Mapped[str | None] = mapped_column(String(64), default=None)


class ThrottleCounter(Base):
    """Attempts under one key, shared by every worker through the database. Times are seconds since the epoch, so
    the database itself can add a delay to them in the one statement that reserves an attempt."""

    __tablename__ = "throttle"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[float] = mapped_column(Float)
    last_at: Mapped[float] = mapped_column(Float, index=True)
    blocked_until: Mapped[float] = mapped_column(Float)
    # The attempt that last got through: a reservation knows it won when it reads its own token back.
    token: Mapped[str] = mapped_column(String(32))
