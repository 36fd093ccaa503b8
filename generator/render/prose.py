"""Descriptions as Markdown: the rules `generator.render.escape` builds on.

A description stays Markdown. Code spans and fences are set apart first (their text is shown as
is), then the rest is cleaned: raw HTML goes through the description allow-list, so safe
formatting renders and anything else is removed, while a `<` that starts no HTML element
(`<T>`, `<flow_id>`) is shown as text. Entities are escaped, so they cannot spell a scheme, and
`{` is written `&#123;`, so neither attr_list syntax nor template tags survive.
"""

from __future__ import annotations

import functools
import html
import re
import urllib.parse
from collections.abc import Callable

import nh3

from generator.render.allowlist import DESCRIPTION_TAGS, clean_description, flatten_cell

# Every line break Python (and so Jinja's `indent`) or a browser knows; Markdown knows `\n`.
_BREAKS = re.compile("\r\n|[\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_C0 = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_C1 = re.compile("[\x80-\x9f]")
# Placeholders for code held aside while the rest is cleaned; noncharacters survive nh3.
_HOLD_OPEN, _HOLD_CLOSE = "\ufdd0", "\ufdd1"
_HELD = re.compile(f"{_HOLD_OPEN}(\\d+){_HOLD_CLOSE}")

# What Markdown itself treats as code: closed fences only, and code spans that do not start at
# an escaped backtick nor run across a blank line.
# A fence as CommonMark reads it: opener and closer each indented up to three spaces.
_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})([^\n]*)\n(.*?)^ {0,3}\2[`~]*[ \t]*$", re.M | re.S)
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
# HTML elements outside both lists, and any name closed as `</name>` in the same text (AWS's
# `<note>`, Stripe's `<currency>`), are markup too: their tags go, their text stays. Such a name
# alone (`<T>`, `<flow_id>`) is text, and so is an HTML name without attributes or a closing
# tag (`<data>` as a placeholder).
_OTHER_HTML = (
    "acronym|address|article|aside|bdi|bdo|big|caption|center|cite|col|colgroup|data|dfn|dir"
    "|div|fieldset|figcaption|figure|font|footer|h1|h2|header|hgroup|ins|label|legend|main"
    "|mark|menu|nav|nobr|picture|q|rp|rt|ruby|samp|section|strike|tfoot|time|tt|var"
)
_KNOWN = frozenset({*DESCRIPTION_TAGS, *_REMOVED_ELEMENTS})
_MAX_OTHER_NAMES = 16
_CLOSED_NAME = re.compile(r"</([A-Za-z][A-Za-z0-9-]{0,40})\s*>")
_OTHER_WITH_ATTRIBUTES = re.compile(rf"<({_OTHER_HTML})\s+[A-Za-z-]+\s*=", re.I)
_AFTER_BLOCK = re.compile(
    r"(</(?:blockquote|details|dl|h[3-6]|hr|ol|p|pre|table|ul)>)[ \t]*(?=\S)", re.I
)


@functools.lru_cache(maxsize=256)
def _element_patterns(names: frozenset[str]) -> tuple[re.Pattern[str], ...]:
    """The markup finder, the text-`<` finder and the unwrapped-tag line finder for `names`."""
    element = "|".join(sorted(_KNOWN | names, key=len, reverse=True))
    markup = re.compile(rf"<(?:/?(?:{element})(?=[\s/>])|!--)", re.I)
    text_lt = re.compile(rf"<(?!/?(?:{element})(?=[\s/>])|!--)", re.I)
    # A line holding only the tag of an element that is unwrapped (`<div class="x">`): the
    # line goes with it, or the indented text after it would follow a blank line and read as
    # an indented code block.
    unwrapped = "|".join(sorted(names - DESCRIPTION_TAGS, key=len, reverse=True)) or "(?!)"
    tag_line = re.compile(rf"^[ \t]*</?(?:{unwrapped})(?:\s[^<>]*)?>[ \t]*(?:\n|$)", re.I | re.M)
    return markup, text_lt, tag_line


def _patterns(text: str) -> tuple[re.Pattern[str], ...]:
    """`_element_patterns` for the elements of `text`: the known ones and those it closes."""
    names = {m.lower() for m in _CLOSED_NAME.findall(text)}
    names |= {m.lower() for m in _OTHER_WITH_ATTRIBUTES.findall(text)}
    # A few names at most, so a hostile text cannot make the patterns huge; past them, `<x>`
    # is shown as text, as before.
    return _element_patterns(frozenset(sorted(names - _KNOWN)[:_MAX_OTHER_NAMES]))


# Links whose target is a place on the spec author's own site: `/docs/guide`, `#anchor`,
# `../guide`. On our pages they would lead nowhere (or into our own site), so they are resolved
# against the document's `externalDocs` URL when it has one; otherwise the text stays and the
# path is shown after it in code. A bare `#anchor` is always text: which of the author's pages
# holds it is unknown, and on ours it would jump nowhere.
_MD_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\]\n]*)\]\(\s*(?P<url>[^\s()<>]*)(?P<title>\s+\"[^\"\n]*\")?\s*\)"
)
_HTML_LINK = re.compile(
    r"<a\s(?P<before>[^>]*?)href=\"(?P<url>[^\"]*)\"(?P<after>[^>]*)>(?P<text>.*?)</a>",
    re.I | re.S,
)
_LOCAL_URL = re.compile(r"^(?![a-z][a-z0-9+.-]*:|//)(?=.)", re.I)


_URL_UNSAFE = re.compile(r"[\s()<>\"'`\\{}|\x00-\x1f\x7f]")


def _local_target(url: str, base: str | None) -> str | None:
    """`url` resolved against `base`; `None` when site-relative and not resolvable.

    An absolute `url` (with a scheme, or `//host`) is returned unchanged.
    """
    if not _LOCAL_URL.match(url):
        return url
    if not base or url.startswith("#"):
        return None  # an anchor on the author's page: its page is not known
    joined = urllib.parse.urljoin(base, url)
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m[0]):02X}", joined)


def resolve_links(text: str, base: str | None, hold: Callable[[str], str]) -> str:
    """Markdown and HTML links to the spec author's site made absolute, or made text.

    `hold` sets the code span showing an unresolved path apart from the cleaning still to come.
    """

    def shown(text: str, url: str) -> str:
        # A bare fragment names nothing a reader could look up: the text alone stays.
        return text if url.startswith("#") or not url else f"{text} ({hold(code_html(url))})"

    def markdown(m: re.Match[str]) -> str:
        target = _local_target(m["url"], base)
        if target is not None:
            return f"{m['bang']}[{m['text']}]({target}{m['title'] or ''})"
        return shown(m["text"], html.unescape(m["url"]))

    def html_link(m: re.Match[str]) -> str:
        target = _local_target(html.unescape(m["url"]), base)
        if target is not None:
            href = html.escape(target, quote=True)
            return f'<a {m["before"]}href="{href}"{m["after"]}>{m["text"]}</a>'
        return shown(m["text"], html.unescape(m["url"]))

    return _HTML_LINK.sub(html_link, _MD_LINK.sub(markdown, text))


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


def prose(
    text: str, *, trusted_html: bool = False, one_line: bool = False, link_base: str | None = None
) -> str:
    """A description made safe as Markdown; see the module docstring.

    `one_line` is for table cells, where newlines will be folded: a fence would no longer be one
    and its backticks would pair with others, so fences become `<code>` there. `link_base` (the
    document's `externalDocs` URL) resolves links to the spec author's site (`resolve_links`).
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
        text = _clean_markup(text, one_line).replace("{", "&#123;")
        text = _UNSAFE_TARGET.sub(r"\1#", text)  # in case cleaning decoded an entity
    text = resolve_links(text, link_base, hold)
    text = _UNSAFE_TARGET.sub(r"\1#", text)  # a resolved link keeps its scheme: http(s) only
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
    markup, text_lt, _ = _patterns(text)
    if not markup.search(text):
        return text
    return html.unescape(nh3.clean(text_lt.sub("&lt;", text.replace("&", "&amp;")), tags=set()))


def _clean_markup(text: str, one_line: bool) -> str:
    """Escape entities; keep known HTML for the allow-list sanitiser, show other `<` as text.

    For a table cell (`one_line`) blocks are flattened to inline HTML.
    """
    text = text.replace("&", "&amp;")
    markup, text_lt, tag_line = _patterns(text)
    if not markup.search(text):
        return text.replace("<", "&lt;").replace(">", "&gt;")
    cleaned = clean_description(text_lt.sub("&lt;", tag_line.sub("", text)))
    if one_line:
        return flatten_cell(cleaned)
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
        indent, fence, info, body = len(block[1]), block[2], block[3], block[4]
        # The opener's indentation comes off every line, as CommonMark does, so the fence is
        # written flush left: a reader that wants opener and closer equally indented agrees.
        lines = [
            line[min(indent, len(line) - len(line.lstrip(" "))) :] for line in body.split("\n")
        ]
        body = "\n".join(lines)
        if one_line:
            pieces.append(hold(code_html(body.rstrip("\n"))))
        else:
            pieces.append(hold(defuse_code(f"{fence}{info}\n{body}{fence}")))
        position = block.end()
    pieces.append(_CODE_SPAN.sub(span, text[position:]))
    return "".join(pieces)
