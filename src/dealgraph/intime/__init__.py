"""The deal in time: when each right is in force, what was in force on a day, what changed.

- :mod:`.periods`: the days a date known to a year, a month or a day stands for.
- :mod:`.derive`: the build's *derive* stage (earliest/latest days, time in force of rights).
- :mod:`.asof`: the rights in force on a day, read from a published store.
- :mod:`.diff`: what was kept, ended, added or revised between two days or agreements.

The pipeline imports :mod:`.derive` only; the readers import what they use.
"""
