"""`{% defaultmacro %}`: macros a user template replaces one at a time.

Jinja does not re-export macros a template imports, and a template that extends another cannot
replace the parent's macros: the parent defines them after the child has. This tag turns that
order into an override. `{% defaultmacro name(args) %}…{% enddefaultmacro %}` defines
`default_name` always, and `name` only when it is not defined yet, i.e. when no template
extending this one defined its own `name` first. Other macros call `name`, so an override
changes every place it is used, and the override can still call `default_name`.
"""

from __future__ import annotations

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser


class DefaultMacroExtension(Extension):
    """`{% defaultmacro name() %}`: a macro a user template can override by its name."""

    tags = {"defaultmacro"}  # noqa: RUF012 (Jinja's own declaration of this attribute)

    def parse(self, parser: Parser) -> list[nodes.Node]:
        """Define `default_<name>`, and `<name>` unless the template already has one."""
        lineno = next(parser.stream).lineno
        name = parser.parse_assign_target(name_only=True).name
        macro = nodes.Macro(lineno=lineno)
        macro.name = f"default_{name}"
        parser.parse_signature(macro)
        macro.body = parser.parse_statements(("name:enddefaultmacro",), drop_needle=True)
        undefined = nodes.Not(nodes.Test(nodes.Name(name, "load"), "defined", [], [], None, None))
        fallback = nodes.Assign(nodes.Name(name, "store"), nodes.Name(macro.name, "load"))
        choose = nodes.If(undefined, [fallback], [], [], lineno=lineno)
        return [macro.set_lineno(lineno), choose.set_lineno(lineno)]
