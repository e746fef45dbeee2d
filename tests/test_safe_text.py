"""User-supplied text is shown as the characters it spells: no links, images or markup."""

import pytest

from simulator.presentation.safe_text import escape_markdown, escape_plotly, unescape_markdown

HOSTILE = [
    "![x](http://host/p.png)",
    "[text](https://host/a)",
    "<img src=http://host/p.png>",
    "**bold** _it_ `code` $x^2$ :red[alarm] :material/home:",
    "line one\nline two\r\n# heading",
    "| a | b |",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_escaping_leaves_no_markup_and_reads_back_as_the_text(text):
    escaped = escape_markdown(text)
    assert "\n" not in escaped and "\r" not in escaped
    active = _unescaped_only(escaped)
    for mark in ("!", "[", "]", "(", "<", "*", "_", "`", "$", ":", "#", "|"):
        assert mark not in active
    assert unescape_markdown(escaped) == " ".join(text.split("\r\n")).replace("\n", " ")


def _unescaped_only(escaped: str) -> str:
    """The escaped text with every backslash-escaped character removed: what could still act as markup."""
    out, skip = [], False
    for char in escaped:
        if skip:
            skip = False
            continue
        if char == "\\":
            skip = True
            continue
        out.append(char)
    return "".join(out)


@pytest.mark.parametrize("text", ["<a href='http://x'>x</a>", "<img src=x>", "%{y} and %{customdata[0]}", "a\nb"])
def test_plotly_escaping_neutralises_tags_and_template_fields(text):
    escaped = escape_plotly(text)
    assert "<" not in escaped and "%{" not in escaped and "\n" not in escaped


@pytest.mark.parametrize("text", ["see https://example.invalid/a", "www.example.org", "write to me@example.org"])
def test_bare_addresses_cannot_become_autolinks(text):
    escaped = escape_markdown(text)
    assert "//" not in escaped and "www." not in escaped.replace("\\", "") and "e@" not in escaped
    assert unescape_markdown(escaped) == text


def test_plain_text_is_left_readable():
    assert escape_plotly("European Union") == "European Union"
    assert unescape_markdown(escape_markdown("European Union (EU)")) == "European Union (EU)"
