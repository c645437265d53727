"""Reading a whole input file with a bound on its size (pure I/O helper)."""

from __future__ import annotations

from pathlib import Path

from basewatch.errors import InputError

__all__ = ["read_bounded"]


def read_bounded(
    path: Path, *, limit: int, what: str, hint: str, error: type[InputError] = InputError
) -> bytes:
    """The bytes of ``path``, refused before anything is read when it holds more than
    ``limit`` bytes (a file given by mistake, an image or an archive, is not read into
    memory).

    Parameters
    ----------
    path : Path
    limit : int
        Largest size read, in bytes.
    what : str
        What the file should be (``"report"``, ``"run record"``), for the messages.
    hint : str
        What to do when it is too large, after the size in the message.
    error : type of InputError
        The error raised (a subclass of :class:`~basewatch.errors.InputError`).

    Raises
    ------
    InputError
        (``error``) The file is missing or unreadable, or larger than ``limit``.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror or exc})") from exc
    if size > limit:
        raise error(
            f"{path}: {size / 1e6:.1f} MB is too large for a {what} (at most "
            f"{limit / 1e6:.1f} MB); {hint}"
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read the {what} ({exc.strerror or exc})") from exc
