"""The settings every process shares, read once from the environment and ``.env``.

One repository root, one ``.env`` loader, one definition of the ports, the
support contact and the pseudonymisation salt, used by the servers, the
channels and ``stack/``. Standard library only (python-dotenv is used where it
is installed), so the Rasa environment can import it too.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = REPO_ROOT / "var"
RASA_VENV = REPO_ROOT / ".venv-rasa"
APP_VENV = REPO_ROOT / ".venv"

# Salts that have been published (in this repository's history or examples):
# pseudonyms made with them can be reversed by brute force.
PUBLIC_SALTS = frozenset({"", "tro-ly-cchc", "change-me"})
SALT_FILE = VAR_DIR / "hash-salt"


@cache
def load_env() -> None:
    """Read ``.env`` into the environment once (values already set win)."""
    try:
        from dotenv import load_dotenv
    except ImportError:  # the Rasa environment: its settings come from the process that starts it
        return
    load_dotenv(REPO_ROOT / ".env", override=False)


def env(name: str, default: str) -> str:
    load_env()
    return os.environ.get(name, default)


def env_path(name: str, default: str) -> Path:
    value = Path(env(name, default))
    return value if value.is_absolute() else REPO_ROOT / value


def is_development() -> bool:
    """``APP_ENV=development`` relaxes the checks that protect real users' data."""
    return env("APP_ENV", "production").strip().lower() in ("development", "dev", "test")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Endpoints:
    """Where the two servers listen and how the others reach them."""

    host: str
    rasa_port: int
    action_port: int

    @property
    def rasa_rest_url(self) -> str:
        return env("RASA_REST_URL", f"http://{self.host}:{self.rasa_port}/webhooks/rest/webhook")

    @property
    def action_endpoint_url(self) -> str:
        return env("ACTION_ENDPOINT_URL", f"http://{self.host}:{self.action_port}/webhook")


def endpoints() -> Endpoints:
    return Endpoints(
        host=env("STACK_HOST", "127.0.0.1"),
        rasa_port=int(env("RASA_PORT", "5005")),
        action_port=int(env("ACTION_PORT", "5055")),
    )


@dataclass(frozen=True)
class Contact:
    """Where a person can get help from people; configurable per office."""

    office: str
    phone: str
    hours: str


def contact() -> Contact:
    return Contact(
        office=env("SUPPORT_OFFICE", "Bộ phận Một cửa của Ủy ban nhân dân cấp xã nơi bạn cư trú"),
        phone=env("SUPPORT_PHONE", "18001096 (Tổng đài hỗ trợ Cổng Dịch vụ công quốc gia)"),
        hours=env("SUPPORT_HOURS", "trong giờ hành chính các ngày làm việc"),
    )


class UnsafeSettings(RuntimeError):
    """A setting that would expose users' data; the server refuses to start."""


def hash_salt(salt_file: Path = SALT_FILE) -> str:
    """The secret that pseudonymises sender ids. ``FEEDBACK_HASH_SALT`` if set,
    else one generated into ``var/`` on first use and kept. A published salt
    is refused outside development: Telegram and Zalo ids are short numbers,
    so their hashes could be reversed by trying them all."""
    configured = env("FEEDBACK_HASH_SALT", "").strip()
    if configured:
        if configured in PUBLIC_SALTS and not is_development():
            raise UnsafeSettings(
                "FEEDBACK_HASH_SALT is a published example value: set a random secret "
                "(or remove it to have one generated into var/hash-salt), or set APP_ENV=development."
            )
        return configured
    if salt_file.exists():
        return salt_file.read_text(encoding="utf-8").strip()
    salt_file.parent.mkdir(parents=True, exist_ok=True)
    generated = secrets.token_hex(32)
    try:
        fd = os.open(salt_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process generated it first: share theirs
        return salt_file.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(generated + "\n")
    return generated
