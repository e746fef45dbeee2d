"""Participants' names as a room reads them: two names that look alike on a screen are the same name.

Unicode lets "Аnna" (a Cyrillic А) and "Anna" (a Latin A) differ in bytes while nobody can tell them
apart on a projector. A name's skeleton folds case and compatibility forms (NFKC, casefold) and maps
the Cyrillic and Greek letters that are drawn like Latin ones to those Latin letters, so names that
look alike compare equal.
"""

from __future__ import annotations

import unicodedata

# Cyrillic and Greek letters drawn like Latin ones (after casefolding), as listed in Unicode's confusables.
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
        "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
        "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "n", "ι": "i", "κ": "k", "μ": "m", "ν": "v", "ο": "o",
        "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    }
)  # fmt: skip


def name_skeleton(name: str) -> str:
    """The form of a name two people would read the same: case, width, spacing and look-alike letters folded."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_LOOKALIKES)
    return " ".join(folded.split())
