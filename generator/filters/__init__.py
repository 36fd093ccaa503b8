"""Stage 3, filters: filter request bodies recognised as a query language, with worked examples.

`detect` recognises the language from schema structure, `model` holds its dataclasses,
`language` the API-wide view, `values`, `builder` and `recipes` the worked examples.
"""

from generator.filters.detect import *  # noqa: F403  (the names listed in detect.__all__)
from generator.filters.detect import __all__ as __all__
