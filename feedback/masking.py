"""Personal data never reaches the store: identifiers are hashed, numbers masked.

People paste phone numbers, ID card numbers and e-mail addresses into their
questions; the admins need the question, not the person.
"""

from __future__ import annotations

import hashlib
import hmac
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Vietnamese phone numbers: 0xxxxxxxxx or +84xxxxxxxxx, with optional separators.
PHONE = re.compile(r"(?<!\d)(\+84|0084|0)(?:[\s.-]?\d){9,10}(?!\d)")
# Citizen ID (12 digits), old ID card (9 digits), tax and insurance codes (10).
ID_NUMBER = re.compile(r"(?<!\d)(\d{12}|\d{10}|\d{9})(?!\d)")


def mask_personal_data(text: str) -> str:
    text = EMAIL.sub("[email]", text)
    text = PHONE.sub("[số điện thoại]", text)
    return ID_NUMBER.sub("[số giấy tờ]", text)


def hash_identifier(value: str, salt: str) -> str:
    """A stable pseudonym: the same sender maps to the same hash, which cannot
    be turned back into a phone number or a Telegram id without the salt."""
    return hmac.new(salt.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]
