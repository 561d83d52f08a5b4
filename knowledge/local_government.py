"""Units of local government that no longer exist since 1/7/2025 (two levels:
province and commune), so that text naming them can be flagged.

Source records still name them ("UBND huyện", "thị trấn"); the dialogue adds the
two-level note (dialogue/texts.yml, answer.two_level_note) to any answer that
shows such a name, and to any question about the district level.
"""

from __future__ import annotations

import re

# Content is written with diacritics: "quận" must not match "quan", "quản", "quân".
ABOLISHED_UNITS = re.compile(r"\b(huyện|quận|thị xã|thị trấn)\b", re.IGNORECASE)


def mentions_abolished_units(text: str) -> bool:
    """Whether the text names a district-level unit or a thị trấn."""
    return bool(ABOLISHED_UNITS.search(text))
