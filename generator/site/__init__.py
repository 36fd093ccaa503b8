"""The site front end: the MkDocs plugin, standalone `build`/`serve`, and HTML sanitising."""
