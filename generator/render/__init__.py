"""Stage 4, render: the model -> Markdown pages through Jinja templates.

`pages` has one small function per page kind; `escape` is the one place spec text is made safe
for Markdown (its prose rules in `prose`, the HTML allow-list in `allowlist`); `tables` builds
field and parameter tables, `samples` the code samples; `macros` adds `{% defaultmacro %}` for
templates; `markdown_extension` is the allow-list pass as a Python-Markdown extension.
"""
