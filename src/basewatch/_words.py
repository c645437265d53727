"""Counts in words, for the text people read (terminal summaries, reports)."""

from __future__ import annotations


def plural(count: int, singular: str, many: str | None = None) -> str:
    """A count with its noun in the right number: ``"1 report"``, ``"2 reports"``.

    Parameters
    ----------
    count : int
    singular : str
        The noun for one (``"report"``, ``"story"``).
    many : str, optional
        The noun for any other count (``"stories"``); default ``singular + "s"``.

    Returns
    -------
    str
        ``f"{count} {noun}"``, the singular noun for a count of 1 only.
    """
    noun = singular if count == 1 else (many if many is not None else singular + "s")
    return f"{count} {noun}"
