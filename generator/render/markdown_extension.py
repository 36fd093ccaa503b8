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

# Python-Markdown ships no type information (and types-Markdown is not a dependency).
from markdown import Markdown  # type: ignore[import-untyped]
from markdown.extensions import Extension  # type: ignore[import-untyped]
from markdown.postprocessors import Postprocessor  # type: ignore[import-untyped]
from markdown.preprocessors import Preprocessor  # type: ignore[import-untyped]

from generator.render.allowlist import clean_page

GENERATED_MARKER = "<!-- restref:generated -->"


class RestrefExtension(Extension):  # type: ignore[misc]
    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "scope": ["generated", "'generated': pages restref wrote; 'all': every page"],
            "trusted_html": [False, "Keep the few extra tags `--trusted-html` allows"],
        }
        super().__init__(**kwargs)
        self.marked = False

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        md.registerExtension(self)
        md.preprocessors.register(_FindMarker(md, self), "restref_marker", 25)
        md.postprocessors.register(_Sanitise(md, self), "restref_sanitise", 1)

    def reset(self) -> None:
        self.marked = False

    def applies(self) -> bool:
        return self.marked or self.getConfig("scope") == "all"


class _FindMarker(Preprocessor):  # type: ignore[misc]
    def __init__(self, md: Markdown, extension: RestrefExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        kept = [line for line in lines if line.strip() != GENERATED_MARKER]
        self.extension.marked = len(kept) != len(lines)
        return kept


class _Sanitise(Postprocessor):  # type: ignore[misc]
    def __init__(self, md: Markdown, extension: RestrefExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        if not self.extension.applies():
            return text
        return clean_page(text, trusted_html=bool(self.extension.getConfig("trusted_html")))


def makeExtension(**kwargs: Any) -> RestrefExtension:  # Python-Markdown's name
    return RestrefExtension(**kwargs)
