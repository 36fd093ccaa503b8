"""The errors restref reports to users: one line each, naming what and where."""


class GeneratorError(Exception):
    """Base of every error the user can fix; the CLI prints it as one `error: ...` line."""


class LoadError(GeneratorError):
    """The app target or the spec file could not be turned into an OpenAPI document."""


class SpecError(GeneratorError):
    """The OpenAPI document is malformed in a way that stops rendering."""


class OutputError(GeneratorError):
    """The output folder cannot be written safely."""
