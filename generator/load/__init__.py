"""Stage 1, load: an app factory (`module:attr`) or a spec file -> the OpenAPI document (a dict).

The only stage that touches user code; an app is imported in a child process (`app_export`).
Swagger 2.0 is converted to the OpenAPI 3.0 structure on the way in (`swagger2`).
"""

from generator.load.documents import dump_document, load_app, load_spec_file

__all__ = ["dump_document", "load_app", "load_spec_file"]
