"""The three actions a sender can take each month, by name and by the code the arrays hold."""

from __future__ import annotations

from typing import Literal

Action = Literal["engage", "hold", "tighten"]
ACTIONS: tuple[str, ...] = ("engage", "hold", "tighten")
ENGAGE, HOLD, TIGHTEN = 0, 1, 2
