"""The workshop's links: for phones (join), for the projector (screen) and for the facilitator (console).

Only the console's link carries the facilitator key; the screen's link carries the join code
alone, so nothing private is ever in the address bar of a projected page.
"""

from __future__ import annotations

import io
import os
from urllib.parse import urlencode, urlsplit

import qrcode
import streamlit as st

CONSOLE_PAGE = "workshop_facilitator"
SCREEN_PAGE = "workshop_screen"
JOIN_PAGE = "workshop_join"
PUBLIC_URL_VAR = "SIMULATOR_PUBLIC_URL"


def app_base() -> str:
    """The app's address for links: $SIMULATOR_PUBLIC_URL if set, else this page's URL without its page path."""
    public = os.environ.get(PUBLIC_URL_VAR)
    if public:
        return public.rstrip("/")
    url = st.context.url or "http://localhost:8501"
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    for page in (CONSOLE_PAGE, SCREEN_PAGE, JOIN_PAGE):
        if path.endswith(page):
            path = path[: -len(page)].rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{path}"


def join_link(code: str) -> str:
    """The link participants open on their phones (the QR code holds it)."""
    return f"{app_base()}/{JOIN_PAGE}?{urlencode({'code': code})}"


def short_join_address() -> str:
    """The join page's address without the scheme, short enough to read off a projector and type."""
    parts = urlsplit(f"{app_base()}/{JOIN_PAGE}")
    return f"{parts.netloc}{parts.path}"


def screen_link(code: str) -> str:
    """The projected screen's link: the join code only, never the facilitator key."""
    return f"{app_base()}/{SCREEN_PAGE}?{urlencode({'code': code})}"


def console_link(code: str, key: str) -> str:
    """The facilitator's private console link (code and key)."""
    return f"{app_base()}/{CONSOLE_PAGE}?{urlencode({'code': code, 'key': key})}"


def phones_cannot_reach(code: str) -> bool:
    """Whether the join link points at this computer only (phones cannot open localhost)."""
    return urlsplit(join_link(code)).hostname in ("localhost", "127.0.0.1")


@st.cache_data(max_entries=64, show_spinner=False)
def qr_png(text: str) -> bytes:
    """A QR code of a link as PNG bytes, large enough to scan from the back of a room."""
    buffer = io.BytesIO()
    qrcode.make(text, border=2, box_size=16).save(buffer, format="PNG")
    return buffer.getvalue()
