"""Builds after an edit: what the last build keeps (``state``), what changed since
(``changes``), and the build that applies the change to the last one (``rebuild``)."""
