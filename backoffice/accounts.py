"""Accounts: argon2 password hashes, roles, and locking after repeated failures."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from backoffice.db import Database
from backoffice.models import Role, User, utc_now

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 12
HASHER = PasswordHasher()
# Verifying against this keeps an unknown name as slow as a known one.
_DUMMY_HASH = HASHER.hash("not a password of anyone")


class AccountError(ValueError):
    pass


class LoginResult(str, Enum):
    ok = "ok"
    wrong = "wrong"
    locked = "locked"


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: Role


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password must have at least {MIN_PASSWORD} characters")


def create_user(db: Database, name: str, role: Role, password: str) -> Account:
    if not NAME.match(name):
        raise AccountError("name: 2-64 lowercase letters, digits, '.', '_' or '-'")
    check_password(password)
    with db.session() as session, session.begin():
        if session.scalar(select(User).where(User.name == name)) is not None:
            raise AccountError(f"user {name!r} already exists")
        user = User(name=name, role=role.value, password_hash=HASHER.hash(password), failed_logins=0, locked=False)
        session.add(user)
        session.flush()
        return Account(user.id, user.name, Role(user.role))


def set_password(db: Database, name: str, password: str) -> None:
    """A new password also unlocks the account."""
    check_password(password)
    with db.session() as session, session.begin():
        user = session.scalar(select(User).where(User.name == name))
        if user is None:
            raise AccountError(f"no user {name!r}")
        user.password_hash, user.failed_logins, user.locked = HASHER.hash(password), 0, False


def unlock(db: Database, name: str) -> None:
    with db.session() as session, session.begin():
        user = session.scalar(select(User).where(User.name == name))
        if user is None:
            raise AccountError(f"no user {name!r}")
        user.failed_logins, user.locked = 0, False


def authenticate(db: Database, name: str, password: str, max_failures: int) -> tuple[LoginResult, Account | None]:
    """Check a password; the ``max_failures``-th wrong one in a row locks the account."""
    with db.session() as session, session.begin():
        user = session.scalar(select(User).where(User.name == name.strip().lower()))
        if user is None:
            try:
                HASHER.verify(_DUMMY_HASH, password)
            except VerificationError:
                pass
            return LoginResult.wrong, None
        if user.locked:
            return LoginResult.locked, None
        try:
            HASHER.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            if user.failed_logins >= max_failures:
                user.locked = True
                return LoginResult.locked, None
            return LoginResult.wrong, None
        if HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)
        user.failed_logins, user.last_login_at = 0, utc_now()
        return LoginResult.ok, Account(user.id, user.name, Role(user.role))


def get_account(db: Database, user_id: int) -> Account | None:
    with db.session() as session:
        user = session.get(User, user_id)
        if user is None or user.locked:
            return None
        return Account(user.id, user.name, Role(user.role))


def list_users(db: Database) -> list[User]:
    with db.session() as session:
        return list(session.scalars(select(User).order_by(User.name)))
