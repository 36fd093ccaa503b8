"""`restref`, a Python-Markdown extension: the allow-list sanitiser as a second layer.

The generated Markdown is safe on its own. A site built from it without restref's MkDocs plugin
(a plain `mkdocs.yml`, another engine using Python-Markdown) can add this extension to run the
same post-render pass the plugin runs:

    markdown_extensions:
      - restref

It limits itself to the pages restref wrote: each ends with the line `GENERATED_MARKER`, an HTML
comment, and only a page holding that line has its HTML sanitised. The user's own pages (their
scripts, iframes, forms) are left alone. `scope: all` sanitises every page instead.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from generator.render.allowlist import clean_page

GENERATED_MARKER = "<!-- restref:generated -->"


class RestrefExtension(Extension):
    """Registers the marker finder and the sanitiser with a Python-Markdown instance."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "scope": ["generated", "'generated': pages restref wrote; 'all': every page"],
            "trusted_html": [False, "Keep the few extra tags `--trusted-html` allows"],
        }
        super().__init__(**kwargs)
        self.marked = False

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        """Add the marker preprocessor and the sanitising postprocessor to `md`."""
        md.registerExtension(self)
        md.preprocessors.register(_FindMarker(md, self), "restref_marker", 25)
        md.postprocessors.register(_Sanitise(md, self), "restref_sanitise", 1)

    def reset(self) -> None:
        """Forget the marker between pages (Python-Markdown calls this per conversion)."""
        self.marked = False

    def applies(self) -> bool:
        """Whether the current page is to be sanitised."""
        return self.marked or self.getConfig("scope") == "all"


class _FindMarker(Preprocessor):
    def __init__(self, md: Markdown, extension: RestrefExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        """Drop the marker line, remembering whether it was there."""
        kept = [line for line in lines if line.strip() != GENERATED_MARKER]
        self.extension.marked = len(kept) != len(lines)
        return kept


class _Sanitise(Postprocessor):
    def __init__(self, md: Markdown, extension: RestrefExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        """Sanitise the page's HTML if the extension applies to it."""
        if not self.extension.applies():
            return text
        return clean_page(text, trusted_html=bool(self.extension.getConfig("trusted_html")))


def makeExtension(**kwargs: Any) -> RestrefExtension:  # Python-Markdown's name
    """Create the extension; Python-Markdown finds it by this name."""
    return RestrefExtension(**kwargs)
