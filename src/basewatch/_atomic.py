"""Atomic writes: a reader sees the old file (or folder) or the whole new one, never a part."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar, overload

from basewatch.errors import OutputError

try:
    import fcntl

    _HAVE_FLOCK = True
except ImportError:  # pragma: no cover - Windows: no lock, the rest holds
    _HAVE_FLOCK = False

__all__ = [
    "MANIFEST",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_replaceable",
    "foreign_files",
    "refuse_foreign",
    "write_folder",
]

T = TypeVar("T")


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror or exc})") from exc
    tmp_path = Path(tmp)
    try:
        umask = os.umask(0)
        os.umask(umask)
        tmp_path.chmod(0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp_path.replace(target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"{target}: write failed ({exc.strerror or exc})") from exc
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


# --------------------------------------------------------------------------- folders

#: Suffix of the temporary sibling a folder is written into before it takes its place.
PART_SUFFIX = ".part"
#: Suffix of the lock file beside a folder being written.
LOCK_SUFFIX = ".lock"
#: The file in each folder :func:`write_folder` writes that lists the files it wrote
#: (one path, relative to the folder, a line): a folder is replaced only where it holds
#: nothing else, so that files of a user's put there are never deleted.
MANIFEST = ".basewatch-files"
#: How many of the files basewatch did not write an error names.
FOREIGN_NAMED = 3


def foreign_files(folder: str | Path) -> list[str]:
    """What ``folder`` holds that :func:`write_folder` did not write there.

    Parameters
    ----------
    folder : path

    Returns
    -------
    list of str
        Paths relative to ``folder`` (``/``-separated, sorted) of the files and folders
        its :data:`MANIFEST` does not list (a folder counts when it holds no listed
        file); every entry where there is no manifest (a folder basewatch did not write,
        or wrote before it kept one). Empty for a missing or empty folder.
    """
    root = Path(folder)
    if not root.is_dir():
        return []
    try:
        listed = set(root.joinpath(MANIFEST).read_text(encoding="utf-8").splitlines())
    except OSError:
        listed = set()
    listed.discard("")
    parents = {parent.as_posix() for name in listed for parent in Path(name).parents}
    out = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == MANIFEST:
            continue
        if path.is_dir() and not path.is_symlink():
            if rel not in parents and f"{rel}/" not in listed:
                out.append(rel)
        elif rel not in listed:
            out.append(rel)
    # a foreign folder's contents go with it: name the folder only
    return [r for r in out if not any(r.startswith(f"{o}/") for o in out)]


def _write_manifest(folder: Path) -> None:
    """List the files of ``folder`` (just written) in its :data:`MANIFEST`, and its
    folders with a trailing ``/``."""
    names = sorted(
        p.relative_to(folder).as_posix() + ("/" if p.is_dir() and not p.is_symlink() else "")
        for p in folder.rglob("*")
        if p.name != MANIFEST
    )
    (folder / MANIFEST).write_text("".join(f"{n}\n" for n in names), encoding="utf-8")


def refuse_foreign(folder: Path) -> None:
    """Refuse to replace ``folder`` where it holds what basewatch did not write there
    (:func:`foreign_files`), naming it.

    Raises
    ------
    OutputError
        ``folder`` holds files basewatch did not write.
    """
    foreign = foreign_files(folder)
    if not foreign:
        return
    named = ", ".join(foreign[:FOREIGN_NAMED]) + (", ..." if len(foreign) > FOREIGN_NAMED else "")
    raise OutputError(
        f"{folder} holds files basewatch did not write there ({named}); --overwrite replaces "
        "only a folder of basewatch's own outputs: move them out first, or choose a new or "
        "empty output folder"
    )


@overload
def write_folder(
    final: str | Path,
    write: Callable[[Path], T],
    *,
    overwrite: bool = ...,
    wait: bool = ...,
    keep: None = ...,
) -> T: ...
@overload
def write_folder(
    final: str | Path,
    write: Callable[[Path], T],
    *,
    overwrite: bool = ...,
    wait: bool = ...,
    keep: Callable[[Path], bool],
) -> T | None: ...
def write_folder(
    final: str | Path,
    write: Callable[[Path], T],
    *,
    overwrite: bool = False,
    wait: bool = False,
    keep: Callable[[Path], bool] | None = None,
) -> T | None:
    """Write a folder whole: ``write(tmp)`` fills an empty temporary sibling, which then
    takes the place of ``final`` in one step.

    A reader (or a kill at any moment) sees the old folder or the new one, never a mix;
    a failed ``write`` leaves the old folder as it was. A lock file beside the folder
    keeps two writers out of one folder at a time, and temporary siblings left by a
    killed writer are removed by the next one.

    Parameters
    ----------
    final : path
        The folder to write (its parent is made if missing).
    write : callable
        Writes the folder's files into the path it is given.
    overwrite : bool
        Replace ``final`` when it exists and is not empty, where it holds only what
        basewatch wrote there (:func:`foreign_files`; a user's files are never deleted).
        Without it such a folder is refused.
    wait : bool
        Wait for another writer of ``final`` to finish instead of refusing at once
        (a task that may run twice, as ``basewatch monitor``'s do).
    keep : callable, optional
        Asked about ``final`` once the lock is held: when it answers true (the folder
        is already what ``write`` would make, e.g. complete), ``write`` is not called
        and the folder is left as it is.

    Returns
    -------
    What ``write`` returned; None when ``keep`` kept the folder.

    Notes
    -----
    A new or empty folder whose name ends in :data:`PART_SUFFIX` is taken to be a
    staging folder already (a caller writing several folders whole, as ``basewatch monitor``
    does): it is filled in place, and that caller puts it in its final place.

    Raises
    ------
    OutputError
        ``final`` is not empty and ``overwrite`` is false, holds files basewatch did not
        write there (:func:`foreign_files`), is a file, is a folder
        basewatch never replaces (the working directory, the home folder, a file-system
        root, a git checkout), another writer holds it, or it cannot be written.
    """
    final = Path(final).absolute()  # a name and a parent even for "."
    fresh = not final.exists() or (final.is_dir() and not any(final.iterdir()))
    if final.name.endswith(PART_SUFFIX) and fresh:
        # already a staging folder of its own (another writer's temporary sibling,
        # e.g. a monitor task's): fill it in place, that writer swaps it in
        try:
            final.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{final}: cannot write here ({exc.strerror or exc})") from exc
        written = write(final)
        _write_manifest(final)
        return written
    if keep is None:  # a quick refusal; with ``keep`` the folder may be kept as it is
        check_replaceable(final, overwrite=overwrite)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{final.parent}: cannot write here ({exc.strerror or exc})") from exc
    with _folder_lock(final, wait=wait):
        for stale in final.parent.glob(f".{final.name}.*{PART_SUFFIX}"):
            shutil.rmtree(stale, ignore_errors=True)
        if keep is not None and final.is_dir() and keep(final):
            return None
        check_replaceable(final, overwrite=overwrite)  # again, now that it is ours
        tmp = final.parent / f".{final.name}.{uuid.uuid4().hex}{PART_SUFFIX}"
        try:
            tmp.mkdir()
            out = write(tmp)
            _write_manifest(tmp)
            _swap_in(tmp, final)
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if isinstance(exc, OSError) and not isinstance(exc, OutputError):
                raise OutputError(f"{final}: write failed ({exc.strerror or exc})") from exc
            raise
        return out


def check_replaceable(final: Path, *, overwrite: bool) -> None:
    """Refuse ``final`` as :func:`write_folder` would (a file, a guarded folder, a folder
    not empty without ``overwrite``, one holding files basewatch did not write); a
    caller checks before its work, :func:`write_folder` again when writing.

    Raises
    ------
    OutputError
        ``final`` cannot be written whole or replaced; the message says why.
    """
    if final.is_file():
        raise OutputError(f"{final} is a file, not a folder; choose another output folder")
    if not final.is_dir():
        return
    resolved = final.resolve()
    guarded = {Path.cwd().resolve(), Path.home().resolve(), Path(resolved.anchor)}
    if resolved in guarded or (resolved / ".git").exists():
        raise OutputError(
            f"{final} is the working directory, the home folder, a file-system root or a "
            "git checkout: basewatch never replaces it; choose an output folder of its own"
        )
    if any(final.iterdir()) and not overwrite:
        raise OutputError(
            f"{final} is not empty (an earlier run, or files of yours); give --overwrite "
            "(overwrite=True from Python) to replace it whole, or choose another output folder"
        )
    refuse_foreign(final)


@contextlib.contextmanager
def _folder_lock(final: Path, *, wait: bool = False) -> Iterator[None]:
    """An exclusive lock on ``final`` (a lock file beside it, removed when done); with
    ``wait``, taken when its holder lets go instead of refused at once.

    The holder removes the lock file before it lets go, so a writer that locked a file
    already removed (its inode no longer at the path) tries again on the new one.
    """
    lock = final.parent / f".{final.name}{LOCK_SUFFIX}"
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise OutputError(f"{final.parent}: cannot write here ({exc.strerror or exc})") from exc
        if not _HAVE_FLOCK:  # pragma: no cover - no advisory locks: nothing to check
            break
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputError(
                f"{final}: another basewatch run is writing this folder; wait for it to "
                "finish or choose another output folder"
            ) from None
        try:
            same = lock.stat().st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # locked a file its holder had removed: take the new one
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()
        os.close(fd)


def _swap_in(tmp: Path, final: Path) -> None:
    """Put ``tmp`` where ``final`` is: one rename when ``final`` does not exist, else an
    atomic exchange where the system has one (Linux ``renameat2``), else two renames."""
    if not final.exists():
        tmp.rename(final)
        return
    if _exchange(tmp, final):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old folder
        return
    old = final.parent / f".{final.name}.{uuid.uuid4().hex}.old{PART_SUFFIX}"
    final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


#: ``renameat2`` flag that swaps two paths atomically (Linux 3.15+).
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(done == 0)
