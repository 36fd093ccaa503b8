"""Descriptions as Markdown: the rules `generator.render.escape` builds on.

A description stays Markdown. Code spans and fences are set apart first (their text is shown as
is), then the rest is cleaned: raw HTML goes through the description allow-list, so safe
formatting renders and anything else is removed, while a `<` that starts no HTML element
(`<T>`, `<flow_id>`) is shown as text. Entities are escaped, so they cannot spell a scheme, and
`{` is written `&#123;`, so neither attr_list syntax nor template tags survive.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import nh3

from generator.render.allowlist import DESCRIPTION_TAGS, clean_description

# Every line break Python (and so Jinja's `indent`) or a browser knows; Markdown knows `\n`.
_BREAKS = re.compile("\r\n|[\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_C0 = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_C1 = re.compile("[\x80-\x9f]")
# Placeholders for code held aside while the rest is cleaned; noncharacters survive nh3.
_HOLD_OPEN, _HOLD_CLOSE = "\ufdd0", "\ufdd1"
_HELD = re.compile(f"{_HOLD_OPEN}(\\d+){_HOLD_CLOSE}")

# What Markdown itself treats as code: closed fences only, and code spans that do not start at
# an escaped backtick nor run across a blank line.
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?^\1\2[`~]*[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<(https?://[^\s<>]+|mailto:[^\s<>]+)>")
# Browsers ignore whitespace and control characters inside a URL scheme.
_SCHEME = "|".join(
    "".join(f"{c}[\\s\\x00-\\x1f]*" for c in name)
    for name in ("javascript", "vbscript", "data", "file")
)
# A script-like link target gets a `#` in front, which makes it a harmless fragment link; this
# works whatever follows (nested parentheses, a title, a newline), inline or as a definition.
_UNSAFE_TARGET = re.compile(
    rf"(\]\(\s*<?\s*`*\s*|^[ \t>*+\-0-9.]*\[[^\]\n]+\]:\s*<?\s*)(?=(?:{_SCHEME}):)", re.I | re.M
)
# Template openers of mkdocs-macros, and lines `pymdownx.snippets` would replace by a file.
TEMPLATE_OPENER = re.compile(r"\{(?=[{%#])")
SNIPPET_LINE = re.compile(r"^([ \t]*;*-+8)(?=<-+)", re.M)
_SNIPPET_PROSE = re.compile(r"^([ \t]*;*-+8)<(?=-)", re.M)
_STRAY_BACKTICK = re.compile(r"\\?`")
_TILDE_FENCE = re.compile(r"^([ \t>]*)~(?=~~)", re.M)

# Elements whose markup is removed rather than shown (active content, forms, document parts).
_REMOVED_ELEMENTS = {
    "applet", "audio", "base", "basefont", "body", "button", "canvas", "dialog", "embed", "form",
    "frame", "frameset", "head", "html", "iframe", "image", "input", "isindex", "link", "marquee",
    "math", "meta", "noembed", "noframes", "noscript", "object", "option", "plaintext", "portal",
    "script", "select", "source", "style", "svg", "template", "textarea", "title", "track",
    "video", "xmp",
}  # fmt: skip
_ELEMENT = "|".join(sorted({*DESCRIPTION_TAGS, *_REMOVED_ELEMENTS}, key=len, reverse=True))
_MARKUP = re.compile(rf"<(?:/?(?:{_ELEMENT})(?=[\s/>])|!--)", re.I)
_AFTER_BLOCK = re.compile(
    r"(</(?:blockquote|details|dl|h[3-6]|hr|ol|p|pre|table|ul)>)[ \t]*(?=\S)", re.I
)
_TEXT_LT = re.compile(rf"<(?!/?(?:{_ELEMENT})(?=[\s/>])|!--)", re.I)


def normalise(text: str) -> str:
    r"""Every line break as `\n`; other control characters as visible symbols (␀, �)."""
    text = _BREAKS.sub("\n", text)
    text = _C0.sub(lambda m: "\u2421" if m.group(0) == "\x7f" else chr(0x2400 + ord(m[0])), text)
    text = _C1.sub("\ufffd", text)
    return text.replace(_HOLD_OPEN, "\ufffd").replace(_HOLD_CLOSE, "\ufffd")


def code_html(text: str) -> str:
    """`<code>` whose text is all entities but letters, digits and dots.

    Markdown, template engines and snippet lines find nothing to read, and a copy gives the
    original text.
    """
    return "<code>" + re.sub(r"[^A-Za-z0-9.]", lambda m: f"&#{ord(m[0])};", text) + "</code>"


def code_text(text: str) -> str:
    r"""Text for a fence: `\r\n` as `\n`, other line breaks as `\uXXXX`, controls visible.

    Jinja's `indent` would split on those other line breaks, Markdown would not.
    """
    text = text.replace("\r\n", "\n")
    return normalise(_BREAKS.sub(lambda m: f"\\u{ord(m[0]):04x}", text))


def defuse_code(text: str) -> str:
    """Code shown in a fence: a zero-width space after template openers' `{` and in `8<`."""
    text = TEMPLATE_OPENER.sub("{\u200b", text)
    return SNIPPET_LINE.sub("\\1\u200b", text)


def prose(text: str, *, trusted_html: bool = False, one_line: bool = False) -> str:
    """A description made safe as Markdown; see the module docstring.

    `one_line` is for table cells, where newlines will be folded: a fence would no longer be one
    and its backticks would pair with others, so fences become `<code>` there.
    """
    text = normalise(text).strip()
    if not text:
        return ""
    # Before code is set apart: a link target written as a code span still becomes an href.
    text = _UNSAFE_TARGET.sub(r"\1#", text)
    held: list[str] = []

    def hold(kept: str) -> str:
        held.append(kept)
        return f"{_HOLD_OPEN}{len(held) - 1}{_HOLD_CLOSE}"

    text = _set_code_apart(text, hold, one_line)
    text = _AUTOLINK.sub(lambda m: hold(m[0]), text)
    if trusted_html:
        text = TEMPLATE_OPENER.sub("&#123;", text)
    else:
        text = _clean_markup(text).replace("{", "&#123;")
        text = _UNSAFE_TARGET.sub(r"\1#", text)  # in case cleaning decoded an entity
    text = _SNIPPET_PROSE.sub(r"\1&lt;", text)  # only reachable with trusted HTML
    # Backticks left outside code are unpaired: one could pair with a backtick the template
    # writes later (moving that code span's text, raw HTML included, out of code), and an
    # unclosed fence would pair with the page's next fence. As entities they are just text.
    text = _STRAY_BACKTICK.sub("&#96;", text)
    text = _TILDE_FENCE.sub(r"\1&#126;", text)
    return _HELD.sub(lambda m: held[int(m[1])], text)


def strip_markup(text: str) -> str:
    """Plain text: HTML elements removed, entities decoded.

    The content of scripts and styles goes with them; a `<` that starts no element (`<T>`) is
    kept.
    """
    if not _MARKUP.search(text):
        return text
    return html.unescape(nh3.clean(_TEXT_LT.sub("&lt;", text.replace("&", "&amp;")), tags=set()))


def _clean_markup(text: str) -> str:
    """Escape entities; keep known HTML for the allow-list sanitiser, show other `<` as text."""
    text = text.replace("&", "&amp;")
    if not _MARKUP.search(text):
        return text.replace("<", "&lt;").replace(">", "&gt;")
    cleaned = clean_description(_TEXT_LT.sub("&lt;", text))
    # Python-Markdown mangles text that follows a block of raw HTML on the same line.
    return _AFTER_BLOCK.sub("\\1\n\n", cleaned)


def _set_code_apart(text: str, hold: Callable[[str], str], one_line: bool) -> str:
    """Replace fences and code spans by placeholders holding their safe form."""

    def span(match: re.Match[str]) -> str:
        code = match[0]
        if TEMPLATE_OPENER.search(code) or SNIPPET_LINE.search(code):
            fence = len(match[1])
            inner = code[fence:-fence].replace("\n", " ")
            if inner.startswith(" ") and inner.endswith(" ") and inner.strip():
                inner = inner[1:-1]
            return hold(code_html(inner))
        return hold(code)

    pieces: list[str] = []
    position = 0
    for block in _FENCE.finditer(text):
        pieces.append(_CODE_SPAN.sub(span, text[position : block.start()]))
        if one_line:
            pieces.append(hold(code_html(block[0].split("\n", 1)[1].rsplit("\n", 1)[0])))
        else:
            pieces.append(hold(defuse_code(block[0])))
        position = block.end()
    pieces.append(_CODE_SPAN.sub(span, text[position:]))
    return "".join(pieces)
