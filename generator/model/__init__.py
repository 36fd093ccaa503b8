"""Stage 2, model: the OpenAPI document -> frozen dataclasses, resolved once.

`resolver` owns `$ref` resolution, `shapes` reduces schemas to types and field rows, `parts`
builds parameters, bodies and responses, `schema_pages` and `usage` describe component schemas,
`security` the schemes, and `api` walks the document once into an `Api`. Later stages read
these objects; none of them goes back to the raw document.
"""
