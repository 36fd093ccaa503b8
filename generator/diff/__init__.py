"""`restref diff`: the changes between two OpenAPI documents, classified for clients.

`compare.diff_documents` walks both documents (`operations`, `schema` over `shape`, and the
filters stage's model in `filtering`), `rules` gives each kind of change its level, `report`
writes Markdown, JSON or GitHub annotations, and `sources` reads what the command is given.
"""

from generator.diff.change import LEVELS, Change, DiffResult, Level, OperationInfo
from generator.diff.compare import diff_documents

__all__ = ["LEVELS", "Change", "DiffResult", "Level", "OperationInfo", "diff_documents"]
