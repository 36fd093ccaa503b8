"""restref: REST API reference sites from FastAPI apps and OpenAPI documents.

The pipeline, one module per stage:

- [load][generator.load]: an app factory (`module:attr`) or a spec file -> OpenAPI dict
- [model][generator.model]: OpenAPI dict -> frozen dataclasses (`Api`, `Operation`, ...)
- [examples][generator.examples]: deterministic example values built from schemas
- [render][generator.render]: model -> list of `Page` through Jinja templates
- [write][generator.write]: pages -> files, atomically, with a manifest
- [plugin][generator.plugin] and [cli][generator.cli]: the two front ends over the same pages
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("restref")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
