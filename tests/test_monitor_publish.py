"""How a monitor task publishes its folder: ``_atomic.write_folder`` with ``keep`` and ``wait``.

A task may run twice (a worker thought lost, a monitor called again); the second run
must wait for the first one's lock, find the folder complete and write nothing.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from basewatch._atomic import MANIFEST, _folder_lock, foreign_files, write_folder
from basewatch.errors import OutputError
from basewatch.scale.tasks import is_complete

#: Seconds the first writer holds the lock while the second one waits.
HOLD_S = 0.5


def _run_json(tmp: Path) -> str:
    (tmp / "run.json").write_text('{"run": 1}', encoding="utf-8")
    return "written"


def test_a_complete_folder_is_kept_and_write_is_not_called(tmp_path: Path) -> None:
    final = tmp_path / "pair"
    final.mkdir()
    (final / "run.json").write_text('{"run": 0}', encoding="utf-8")
    calls: list[Path] = []

    def write(tmp: Path) -> str:
        calls.append(tmp)
        return _run_json(tmp)

    assert write_folder(final, write, overwrite=True, keep=is_complete) is None
    assert calls == []
    assert (final / "run.json").read_text(encoding="utf-8") == '{"run": 0}'


def test_an_incomplete_folder_is_replaced_whole(tmp_path: Path) -> None:
    final = tmp_path / "pair"
    final.mkdir()
    (final / "change.png").write_bytes(b"half a run")  # a folder with no marker
    (final / MANIFEST).write_text("change.png\n", encoding="utf-8")  # basewatch's own
    assert write_folder(final, _run_json, overwrite=True, keep=is_complete) == "written"
    assert sorted(p.name for p in final.iterdir()) == [MANIFEST, "run.json"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_folder_holding_files_of_a_user_s_is_never_replaced(tmp_path: Path) -> None:
    """Files basewatch did not write (not in the folder's manifest) are never deleted,
    even with ``overwrite``: the folder is refused, naming them."""
    final = tmp_path / "pair"
    assert write_folder(final, _run_json) == "written"
    (final / "notes.md").write_text("mine", encoding="utf-8")
    (final / "sub").mkdir()
    (final / "sub" / "a.txt").write_text("mine too", encoding="utf-8")
    assert foreign_files(final) == ["notes.md", "sub"]
    with pytest.raises(OutputError, match=r"did not write there \(notes.md, sub\)"):
        write_folder(final, _run_json, overwrite=True)
    assert (final / "notes.md").is_file() and (final / "sub" / "a.txt").is_file()
    # a folder basewatch did not write at all (no manifest): every file is the user's
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "run.json").write_text("{}", encoding="utf-8")
    assert foreign_files(bare) == ["run.json"]
    with pytest.raises(OutputError, match="did not write there"):
        write_folder(bare, _run_json, overwrite=True)


def test_a_second_writer_waits_for_the_first_then_keeps_its_folder(tmp_path: Path) -> None:
    final = tmp_path / "pair"
    outcome: list[str | None] = []
    started = threading.Event()

    def second() -> None:
        started.set()
        outcome.append(write_folder(final, _run_json, overwrite=True, wait=True, keep=is_complete))

    with _folder_lock(final):
        thread = threading.Thread(target=second)
        thread.start()
        started.wait()
        time.sleep(HOLD_S)
        assert outcome == [], "the second writer did not wait for the lock"
        final.mkdir()  # the first writer's folder, complete
        (final / "run.json").write_text('{"run": 0}', encoding="utf-8")
    thread.join(timeout=10 * HOLD_S)
    assert outcome == [None]
    assert (final / "run.json").read_text(encoding="utf-8") == '{"run": 0}'


def test_without_wait_a_held_folder_is_refused_with_the_reason(tmp_path: Path) -> None:
    final = tmp_path / "pair"
    with _folder_lock(final), pytest.raises(OutputError, match="another basewatch run"):
        write_folder(final, _run_json, overwrite=True, keep=is_complete)
