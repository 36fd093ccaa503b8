"""restref: REST API reference sites from FastAPI apps and OpenAPI documents.

The pipeline, one module per stage:

- `load`: an app factory (`module:attr`) or a spec file -> OpenAPI dict
- `model`: OpenAPI dict -> frozen dataclasses (`Api`, `Operation`, ...)
- `filters`: filter bodies recognised as a query language, with examples
- `examples`: deterministic example values built from schemas
- `render`: model -> list of `Page` through Jinja templates
- `write`: pages -> files, atomically, with a manifest
- `diff`: the changes between two documents, classified for clients
- `site` and `cli`: the MkDocs plugin, `restref build`/`serve`
  and the command line, all over the same pages

The names below are the public Python API; import them from `generator` itself. Importing the
package does not import MkDocs.
"""

__version__ = "0.1.0"  # the package version (pyproject.toml reads it from here)

# After `__version__`: the pipeline reads it while this package is still being imported.
from generator.diff import Change, DiffResult, diff_documents
from generator.errors import GeneratorError, LoadError, OutputError, SpecError
from generator.layout import Page
from generator.load import load_app, load_spec_file
from generator.pipeline import NavPage, Result, Source, generate_pages
from generator.render.pages import RenderOptions
from generator.write import WriteReport, stale_files, write_pages

__all__ = [
    "Change",
    "DiffResult",
    "GeneratorError",
    "LoadError",
    "NavPage",
    "OutputError",
    "Page",
    "RenderOptions",
    "Result",
    "Source",
    "SpecError",
    "WriteReport",
    "__version__",
    "diff_documents",
    "generate_pages",
    "load_app",
    "load_spec_file",
    "stale_files",
    "write_pages",
]
