"""What a procedure costs today, from the fee cell and the fee note of each channel.

The portal's fee cell often says "Miễn phí" while its note states an amount
("Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần"), a fee circular, or that the
provincial People's Council sets the fee; and notes keep reductions long after they
ended. A citizen asking "how much" must get the amount in force on the day the entry
is reviewed, with its basis, or be told who sets it: never "free" when it is not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from knowledge.ingest.dichvucong import Channel
from knowledge.ingest.facts import EXPIRY, amounts, document_numbers, fee_clauses, normalise_amount

# A note saying something is charged: an amount, a fee rate, a fee circular, the provincial council.
CHARGED = re.compile(r"Hội đồng nhân dân|mức thu|Luật phí và lệ phí|\d+/\d{4}/TT-BTC|\d\s*(?:đồng|đ\b|USD)", re.I)
FREE = "miễn phí"
UNKNOWN_AFTER_EXPIRY = (
    "không xác định được mức đang áp dụng (mức ghi trong dữ liệu gốc đã hết thời hạn áp dụng); "
    "bạn hãy hỏi cơ quan tiếp nhận hồ sơ"
)


@dataclass(frozen=True)
class Fee:
    """The fee of one channel as it stands on the review date."""

    text: str | None
    expired_until: list[str] = field(default_factory=list)


def _expiry(clause: str) -> tuple[dt.date, str] | None:
    match = EXPIRY.search(clause)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    return dt.date(year, month, day), f"{day:02d}/{month:02d}/{year}"


def _sentence(clause: str) -> str:
    clause = clause.strip().rstrip(";,")
    return clause if clause.endswith((".", ")", ":")) else clause + "."


def _readable(notes: str) -> str:
    """A note that only names the fee circular reads as where the rate is set."""
    return f"Mức thu theo {notes}" if notes.startswith(("Thông tư", "Nghị định", "Nghị quyết")) else notes


def channel_fee(channel: Channel, as_of: dt.date) -> Fee:
    """The fee in force on ``as_of``: clauses that ended before it are left out (and reported)."""
    clauses = fee_clauses(channel.fee_note or "")
    in_force, expired = [], []
    for clause in clauses:
        ends = _expiry(clause)
        if ends and ends[0] < as_of:
            expired.append(ends[1])
        else:
            in_force.append(clause)
    notes = _readable(" ".join(_sentence(clause) for clause in in_force))
    base = channel.fee
    in_force_amounts = amounts(notes)
    if base == FREE and CHARGED.search(notes):
        text = notes  # the note, not the cell, says what is charged
    elif base and base != FREE:
        amount = normalise_amount(base.split()[0])
        if expired and amount not in in_force_amounts and not in_force:
            text = UNKNOWN_AFTER_EXPIRY  # the only amount given was a reduction that has ended
        elif amount in in_force_amounts:
            text = notes
        else:
            text = f"{base}. {notes}".strip() if notes else base
    else:
        text = f"{base}. {notes}".strip() if base and notes else (base or notes or None)
    return Fee(text=text or None, expired_until=sorted(set(expired)))


def fee_basis(legal_basis: list[tuple[str, str]], statements: list[str]) -> str | None:
    """Name the fee circulars of the legal basis when the fee text itself cites none."""
    if any(document_numbers(text) for text in statements):
        return None
    circulars = [f"{kind} số {number}" for kind, number in legal_basis if number.endswith("/TT-BTC")]
    if not circulars:
        return None
    return "Văn bản về phí, lệ phí trong căn cứ pháp lý của thủ tục: " + ", ".join(circulars) + "."


def expired_sentence(dates: list[str]) -> str | None:
    if not dates:
        return None
    return (
        "Dữ liệu gốc còn ghi mức thu ưu đãi áp dụng đến hết ngày "
        + ", ".join(dates)
        + "; mức này đã hết thời hạn áp dụng nên không nêu ở đây."
    )


MIXED_FREE = (
    "dữ liệu gốc ghi “miễn phí” cho hình thức này nhưng ghi có phí, lệ phí ở hình thức nộp khác; "
    "bạn hãy hỏi cơ quan tiếp nhận hồ sơ"
)


# A charge only for something extra the applicant may ask for ("bản sao … (nếu có yêu cầu)").
OPTIONAL = re.compile(r"nếu có yêu cầu", re.I)


def reconcile(fees: list[Fee]) -> list[Fee]:
    """A bare "miễn phí" next to a channel whose note states a charge is not shown as free
    (a charge only for an optional extra, such as a copy on request, does not count)."""
    charged = [fee for fee in fees if fee.text and fee.text != FREE and CHARGED.search(fee.text)]
    if not [fee for fee in charged if not OPTIONAL.search(fee.text or "")]:
        return fees
    return [
        Fee(MIXED_FREE + fee.text[len(FREE) :], fee.expired_until) if fee.text and fee.text.startswith(FREE) else fee
        for fee in fees
    ]
