"""Importers: a conference's schedule (and a listing of its recordings) into the talk files of a deck.

A stage in front of the deck format, never inside the loader: one module per schedule format reads
its file into `ScheduleEvent` records (`event.py`); `picking.py` chooses the events, `matching.py`
finds their recordings in a playlist, `writer.py` turns them into talk files and tracks, and
`run.py` holds `import_schedule()`, which does these in order.
"""

FORMATS = ("frab-xml", "schedule-json", "ical", "sessionize")
"""The schedule formats deckgen reads, by the names `--format` takes."""
