"""Stage 4, render: the model -> Markdown pages through Jinja templates.

`pages` has one small function per page kind, `escape` is the one place spec text is made safe
for Markdown, `tables` builds field and parameter tables, `samples` the code samples.
"""
