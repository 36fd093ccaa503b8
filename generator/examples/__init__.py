"""Deterministic example values: the spec's own first, then values built from the schema.

Used by the model (body and schema examples) and by the filters stage (minimal required values),
so there is one synthesiser. `regex` builds strings that match a `pattern`.
"""
