"""Tables: CSV files read into located text cells, and the checks on their values.

``read`` turns a file's bytes into a :class:`~mapper.tables.read.Table`;
``cells`` holds the generic cell checks (counts, coordinates, vocabularies,
suggestions), ``dates`` every date check, and ``checks`` the checks each
table of a dataset runs. Nothing here knows about places or datasets.
"""
