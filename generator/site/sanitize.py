"""The plugin's last line of defence: generated pages' HTML through the allow-list sanitiser.

Spec text is made safe when it is put into Markdown (`generator.render.escape`); after MkDocs
has rendered a generated page, the plugin passes its HTML through Ammonia (`nh3`) with the page
allow-list, which is defined once, in `generator.render.allowlist`.
"""

from __future__ import annotations

from generator.render.allowlist import PAGE_ATTRIBUTES as ATTRIBUTES
from generator.render.allowlist import PAGE_TAGS as TAGS
from generator.render.allowlist import URL_SCHEMES
from generator.render.allowlist import clean_page as clean_html

__all__ = ["ATTRIBUTES", "TAGS", "URL_SCHEMES", "clean_html"]
