"""User-supplied text made inert for the places it is shown: Markdown, and Plotly's labels.

Sender names, scenario names and descriptions, file names and the values in a link come from
strangers. Shown raw, `![x](http://host/p.png)` makes every viewer's browser fetch an image and
`[text](https://...)` plants a link; these helpers turn such text into the characters it spells.
"""

from __future__ import annotations

import html
import re

# Every ASCII punctuation character may be escaped with a backslash in CommonMark; Streamlit adds
# `:colour[...]` and `:material/icon:` directives and `$...$` maths, all built from these characters.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:=^\"'&])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# GitHub-flavoured Markdown turns bare addresses into links even when every character is escaped
# (https://..., www...., name@host); an invisible zero-width space inside each trigger stops it.
_ZERO_WIDTH = "\u200b"
_AUTOLINK_TRIGGERS = re.compile(r"(/)(/)|(www)(\\?\.)|()(@)", re.IGNORECASE)


def escape_markdown(text: object) -> str:
    """Text shown literally inside Markdown: no links, images, emphasis, maths, icons or line breaks."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))
    return _AUTOLINK_TRIGGERS.sub(lambda m: _ZERO_WIDTH.join(g for g in m.groups() if g is not None), escaped)


def unescape_markdown(text: str) -> str:
    """What escaped Markdown reads as (the backslashes removed): for comparing shown text with its source."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text.replace(_ZERO_WIDTH, ""))


def escape_plotly(text: object) -> str:
    """Text shown literally in a Plotly title, legend, annotation or hover label.

    Plotly reads a little HTML (`<a href>`, `<span style>`, `<br>`) in its labels and `%{...}` in
    hover templates, so both are neutralised.
    """
    return html.escape(_LINE_BREAKS.sub(" ", str(text)), quote=False).replace("%", "&#37;")
