"""Error messages on the workshop pages, shown as literal text.

A refusal often quotes what a person typed (a name, a code, a title), and Streamlit's message
boxes read Markdown, so every character Markdown or Streamlit's own syntax could act on
(links, images, HTML, :colour[...] directives, $maths$) is escaped first.
"""

from __future__ import annotations

import re

import streamlit as st

_ACTIVE = re.compile(r"([\\`*_{}\[\]()<>#+!|:$~=^])")


def literal(text: str) -> str:
    """Text escaped so that Markdown shows it exactly as written."""
    return _ACTIVE.sub(r"\\\1", str(text).replace("\n", " "))


def error(text: str) -> None:
    """An error box whose text is shown exactly as written."""
    st.error(literal(text))
