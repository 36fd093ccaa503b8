"""restref: REST API reference sites from FastAPI apps and OpenAPI documents.

The pipeline, one module per stage:

- [load][generator.load]: an app factory (`module:attr`) or a spec file -> OpenAPI dict
- [model][generator.model.api]: OpenAPI dict -> frozen dataclasses (`Api`, `Operation`, ...)
- [filters][generator.filters]: filter bodies recognised as a query language, with examples
- [examples][generator.examples.synthesis]: deterministic example values built from schemas
- [render][generator.render]: model -> list of `Page` through Jinja templates
- [write][generator.write]: pages -> files, atomically, with a manifest
- [plugin][generator.site.plugin] and [cli][generator.cli]: the two front ends over the same pages
"""

__version__ = "0.1.0"  # the package version (pyproject.toml reads it from here)

__all__ = ["__version__"]
