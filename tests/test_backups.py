"""Rolling backups of a .boq file (estimator.backups): consistent copies, a note each, the newest kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from estimator import backups
from estimator.errors import ProjectFileError
from estimator.model import Programme
from estimator.store import Project, load


def test_backups_are_consistent_copies_listed_newest_first_and_rolled(tmp_path: Path, sample_file: Path) -> None:
    start = dt.datetime(2026, 11, 29, 10, 0, 0)
    for n in range(5):
        backups.make_backup(sample_file, f"step {n}", 15, 300 + n, "1.00 USD", keep=3, now=start + dt.timedelta(minutes=n))
    listed = backups.list_backups(sample_file)
    assert [b.reason for b in listed] == ["step 4", "step 3", "step 2"]
    assert listed[0].items == 304 and listed[0].total == "1.00 USD"
    assert listed[0].path.parent == backups.folder_for(sample_file)
    assert not listed[0].path.parent.is_relative_to(sample_file.parent), "backups live in the data folder"
    assert load(listed[0].path).item_count() == load(sample_file).item_count()
    assert len(list(backups.folder_for(sample_file).iterdir())) == 6  # 3 copies + 3 notes, no leftovers
    target = tmp_path / "copy.boq"
    backups.copy_to(listed[-1], target)
    assert load(target).name == load(sample_file).name
    with pytest.raises(ProjectFileError, match="already exists"):
        backups.copy_to(listed[-1], target)


def test_two_programmes_of_the_same_name_do_not_share_backups(tmp_path: Path) -> None:
    paths = []
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        path = tmp_path / sub / "clinics.boq"
        Project.create(path, Programme(sub)).close()
        backups.make_backup(path, sub)
        paths.append(path)
    assert [b.reason for b in backups.list_backups(paths[0])] == ["a"]
    assert [b.reason for b in backups.list_backups(paths[1])] == ["b"]


def test_a_damaged_note_is_skipped_and_a_missing_file_is_a_clear_error(tmp_path: Path, sample_file: Path) -> None:
    backups.make_backup(sample_file, "good")
    (backups.folder_for(sample_file) / "junk.json").write_text("{not json", encoding="utf-8")
    assert [b.reason for b in backups.list_backups(sample_file)] == ["good"]
    with pytest.raises(ProjectFileError, match="no such file"):
        backups.make_backup(tmp_path / "gone.boq", "x")
