"""Tender revisions, baselines and contracts on the server: issued by procurement on `URL#NAME` as on a file,
seen by every other checkout, refused by the server for the wrong role, never changed once made, and two
concurrent issues of one name give one revision and one clear message.

The programme and bids are the hand-checked contract example (tests/support/contracts.py); bids are
the real unpriced tender workbook filled in with openpyxl as a bidder does.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from psycopg import errors

from estimator import revisions
from estimator.cli import main
from estimator.contracts import storage
from estimator.server import locations
from estimator.server.records import RecordsConflict, exchange
from estimator.server.sync import pull_to_file, push_file
from estimator.store import Project, load
from tests.support.contracts import BID_RATES, bid, programme, write_csv


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _count(url: str, table: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute(f"SELECT count(*) FROM boq.{table}").fetchone()[0])  # type: ignore[index]


@pytest.fixture
def shared(accounts: dict[str, str]) -> dict[str, str]:
    """The contract example as 'Harim' on the server, pushed by alice (estimator)."""
    locations.create(f"{accounts['alice']}#Harim", programme())
    return accounts


def test_procurement_issues_evaluates_and_awards_on_the_server(shared: dict[str, str], tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    pat, alice, vera = (f"{shared[u]}#Harim" for u in ("pat", "alice", "vera"))
    with psycopg.connect(shared["alice"]) as conn:
        version = conn.execute("SELECT version FROM boq.programmes WHERE name = 'Harim'").fetchone()[0]  # type: ignore[index]
    code, out, err = _run(capsys, "tender", "issue", pat, "--name", "Rev 0", "--date", "2027-01-10")
    assert code == 0 and "issued tender revision 'Rev 0' of 2027-01-10" in out, err
    # from another account's checkout: the revision is there, and the programme itself did not change
    code, out, err = _run(capsys, "tender", "list", vera)
    assert code == 0 and "Rev 0" in out and "working state: identical to 'Rev 0'" in out, err
    with psycopg.connect(shared["alice"]) as conn:
        assert conn.execute("SELECT version FROM boq.programmes WHERE name = 'Harim'").fetchone()[0] == version  # type: ignore[index]
        assert conn.execute("SELECT created_by FROM boq.revisions").fetchall() == [("pat",)]
    pulled = tmp_path / "vera.boq"
    pull_to_file(shared["vera"], "Harim", pulled)
    with Project.open(pulled, readonly=True) as project:
        assert [r.name for r in revisions.revisions(project)] == ["Rev 0"]
        assert revisions.load(project, "Rev 0").item_count() == programme().item_count()

    # the tender workbook from the server, priced by a bidder with openpyxl, evaluated against the server's Rev 0
    tender = tmp_path / "tender.xlsx"
    code, out, err = _run(capsys, "export", vera, "--xlsx", tender, "--unpriced", "--revision", "Rev 0")
    assert code == 0, err
    returned = bid(tender, BID_RATES, 0, tmp_path / "bid-harim.xlsx")
    code, out, err = _run(capsys, "bids", pat, returned, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert "Rev 0" in json.dumps(result) and "12000.00" in json.dumps(result)

    # the contract, on the server: award, measurement, certificate (figures of tests/test_contracts.py)
    code, out, err = _run(capsys, "contract", "award", pat, "--lot", "1", "--bid", returned, "--contractor",
                          "Al-Bina Contracting", "--date", "2027-02-01")
    assert code == 0 and "contract sum 12,000.00 USD" in out and "tender revision 'Rev 0'" in out, err
    m1 = write_csv(tmp_path / "m1.csv", [["item", "quantity", "percent"], ["1.1", "60", ""], ["1.4", "", "100"]])
    code, out, err = _run(capsys, "contract", "measure", alice, "--lot", "1", "--period", "1", m1, "--date",
                          "2027-02-28")
    assert code == 0, err
    code, out, err = _run(capsys, "contract", "certificate", pat, "--lot", "1", "--period", "1", "--date",
                          "2027-02-28", "--json")
    assert code == 0, err
    cert = json.loads(out)
    assert (cert["gross_to_date"], cert["retention"], cert["amount_due"]) == ("1465.00", "146.50", "1025.50")
    code, out, err = _run(capsys, "contract", "certificate", vera, "--lot", "1", "--period", "1", "--json")
    assert code == 0 and json.loads(out) == cert, err  # reprinted as issued, from another account's checkout
    with psycopg.connect(shared["alice"]) as conn:
        log = conn.execute("SELECT kind, created_by FROM boq.contract_log ORDER BY seq").fetchall()
    assert log == [("award", "pat"), ("measurement", "alice"), ("certificate", "pat")]
    # a viewer records nothing, and a failed command writes nothing
    m2 = write_csv(tmp_path / "m2.csv", [["item", "quantity"], ["1.1", "100"]])
    code, _, err = _run(capsys, "contract", "measure", vera, "--lot", "1", "--period", "2", m2)
    assert code == 1 and "refused" in err and "viewers only read" in err and "Traceback" not in err
    bad = write_csv(tmp_path / "bad.csv", [["item", "quantity"], ["9.9", "1"]])
    code, _, err = _run(capsys, "contract", "measure", pat, "--lot", "1", "--period", "2", bad)
    assert code == 1 and "9.9" in err
    assert _count(shared["alice"], "contract_log") == 3
    # an estimator freezes a baseline; procurement may not
    code, out, err = _run(capsys, "baseline", alice, "--name", "Approved budget")
    assert code == 0, err
    code, _, err = _run(capsys, "baseline", pat, "--name", "Mine")
    assert code == 1 and "estimate baselines by estimators" in err
    code, out, _ = _run(capsys, "baseline", vera, "--list")
    assert "Approved budget" in out and "Mine" not in out


def test_the_server_refuses_by_role_and_never_changes_a_record(pg_cluster, shared: dict[str, str],  # type: ignore[no-untyped-def]
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "tender", "issue", f"{shared['pat']}#Harim", "--name", "Rev 0")[0] == 0
    code, _, err = _run(capsys, "tender", "issue", f"{shared['alice']}#Harim", "--name", "Rev 1")
    assert code == 1 and "tender revisions are issued by procurement accounts" in err and "Traceback" not in err
    with psycopg.connect(shared["pat"]) as conn:
        pid, manifest = conn.execute("SELECT programme_id, manifest FROM boq.revisions").fetchone()  # type: ignore[misc]
    columns = "(programme_id, kind, name, seq, date, created, manifest, fingerprint, items, total, currency)"
    # raw SQL as each account, not the client: a viewer inserts nothing, an estimator no tender revision
    for user, kind, refused in (("vera", "tender", True), ("vera", "baseline", True), ("alice", "tender", True),
                                ("pat", "baseline", True), ("alice", "baseline", False)):
        with psycopg.connect(shared[user]) as conn:
            statement = (f"INSERT INTO boq.revisions {columns} VALUES (%s, %s, 'Raw', 9, '2027-01-01', 'x', %s, 'f', "
                         "1, '1.00', 'USD')")
            if refused:
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute(statement, (pid, kind, manifest))
            else:
                conn.execute(statement, (pid, kind, manifest))
        with psycopg.connect(shared[user]) as conn:
            if user == "vera":
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute("INSERT INTO boq.contract_log (programme_id, seq, lot, kind, period, name, date, "
                                 "created, data) VALUES (%s, 99, 'x', 'award', 0, '', '2027-01-01', 'x', '{}')", (pid,))
    # nobody changes or deletes a revision, the owner of the tables included
    database = shared["alice"].rsplit("/", 1)[1]
    for url in (*shared.values(), pg_cluster.url(database)):
        with psycopg.connect(url) as conn:
            for statement in ("UPDATE boq.revisions SET total = '0.01'", "DELETE FROM boq.revisions",
                              "DELETE FROM boq.snapshots", "TRUNCATE boq.revisions CASCADE"):
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute(statement)
                conn.rollback()
    with psycopg.connect(shared["vera"]) as conn:
        assert conn.execute("SELECT name, kind, created_by FROM boq.revisions ORDER BY name").fetchall() == [
            ("Raw", "baseline", "alice"), ("Rev 0", "tender", "pat")]  # created_by is the login, whatever was sent
    # deleting the whole programme takes its records with it
    with psycopg.connect(pg_cluster.url(database)) as conn:
        conn.execute("DELETE FROM boq.programmes WHERE id = %s", (pid,))
    assert _count(shared["alice"], "revisions") == 0


def test_two_officers_issue_the_same_name_at_once(pg_cluster, shared: dict[str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Both check out a copy without Rev 1 and issue it; one revision reaches the server, the other officer is
    told who issued it, and nothing of theirs is half-written."""
    a, b = _two_officers(pg_cluster, shared, tmp_path)
    omar = shared["pat"].replace("pat@", "omar@")
    for day, path in enumerate((a, b), start=10):  # what `boq tender issue` does on its checked-out copy
        with Project.open(path) as project:
            revisions.issue(project, "Rev 1", dt.date(2027, 1, day))
    ctx = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[tuple[int, str]] = ctx.Queue()
    procs = [ctx.Process(target=_push_records, args=(str(p), url, results)) for p, url in ((a, shared["pat"]), (b, omar))]
    for p in procs:
        p.start()
    outcomes = sorted(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
    assert outcomes[0][0] == "ok" and outcomes[1][0] == "refused", outcomes
    message = outcomes[1][1]
    assert "tender revision 'Rev 1'" in message and "made by" in message and "nothing was written" in message
    assert ("by pat" in message) != ("by omar" in message)
    assert _count(shared["alice"], "revisions") == 1
    with psycopg.connect(shared["alice"]) as conn:
        who = conn.execute("SELECT created_by FROM boq.revisions").fetchone()[0]  # type: ignore[index]
        hashes = {h for (h,) in conn.execute("SELECT hash FROM boq.snapshots")}
    winner = a if who == "pat" else b
    with Project.open(winner, readonly=True) as project:  # the server holds the winner's snapshots, no others
        assert {h for (h,) in project.connection.execute("SELECT hash FROM snapshots")} == hashes
    # the same through the command line: the second issue of a name is refused before anything is made
    code = main(["tender", "issue", f"{omar}#Harim", "--name", "rev 1"])
    assert code == 1
    assert _count(shared["alice"], "revisions") == 1


def _push_records(path: str, url: str, out: multiprocessing.Queue[tuple[str, str]]) -> None:
    try:
        with Project.open(Path(path)) as project:
            exchange(project.connection, url, "Harim", pull=False)
        out.put(("ok", ""))
    except RecordsConflict as exc:
        out.put(("refused", str(exc)))
    except Exception as exc:
        out.put(("error", repr(exc)))


def test_records_go_with_push_and_pull(shared: dict[str, str], tmp_path: Path) -> None:
    """`boq push` appends what the server lacks (no snapshot twice); `boq pull` brings the server's."""
    mine = tmp_path / "pat.boq"
    pull_to_file(shared["pat"], "Harim", mine)
    with Project.open(mine) as project:
        revisions.issue(project, "Rev 0")
        revisions.issue(project, "Rev 0a")  # the same content: shares every snapshot
        blobs = project.connection.execute("SELECT count(*) FROM snapshots").fetchone()[0]
    push_file(mine, shared["pat"], "Harim")
    assert _count(shared["alice"], "revisions") == 2 and _count(shared["alice"], "snapshots") == blobs
    push_file(mine, shared["pat"], "Harim")  # nothing new: nothing sent
    assert _count(shared["alice"], "snapshots") == blobs
    theirs = tmp_path / "alice.boq"
    pull_to_file(shared["alice"], "Harim", theirs)
    with Project.open(theirs) as project:
        assert [r.name for r in revisions.revisions(project)] == ["Rev 0", "Rev 0a"]
        assert revisions.load(project, "Rev 0a").facilities == revisions.load(project, "Rev 0").facilities
        revisions.issue(project, "Working", kind=revisions.BASELINE)
    push_file(theirs, shared["alice"], "Harim")
    push_file(mine, shared["pat"], "Harim")  # pulls alice's baseline into pat's copy
    with Project.open(mine, readonly=True) as project:
        assert [r.name for r in revisions.revisions(project, revisions.BASELINE)] == ["Working"]


def _writing(url: str) -> bool:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'boq-estimator' "
                            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()").fetchone()[0] > 0  # type: ignore[index]


def test_a_client_killed_mid_push_of_records_leaves_before_or_after(shared: dict[str, str], tmp_path: Path) -> None:
    """A programme with a large contract (many lines) appended by `boq push`, killed while writing: the server
    has the whole entry or none of it."""
    copy = tmp_path / "pat.boq"
    pull_to_file(shared["pat"], "Harim", copy)
    lot = programme().facilities[0].uid
    with Project.open(copy) as project:
        revisions.issue(project, "Rev 0")
        for n in range(3):
            storage.append(project, lot, "measurement", n + 1, "", dt.date(2027, 1, 1), {},
                           ((f"item-{i}", {"quantity": str(i)}) for i in range(60_000)))
    proc = subprocess.Popen([sys.executable, "-m", "estimator", "push", str(copy), shared["pat"], "--as", "Harim"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not _writing(shared["alice"]):
        assert proc.poll() is None, "the push ended before it was caught writing"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(0.5)
    entries, lines = _count(shared["alice"], "contract_log"), _count(shared["alice"], "contract_lines")
    assert (entries, lines) in ((0, 0), (3, 180_000))
    assert _count(shared["alice"], "revisions") in (0, 1)
    proc = subprocess.Popen([sys.executable, "-m", "estimator", "push", str(copy), shared["pat"], "--as", "Harim"])
    assert proc.wait(timeout=300) == 0
    assert (_count(shared["alice"], "contract_log"), _count(shared["alice"], "contract_lines")) == (3, 180_000)


def test_init_upgrades_a_server_without_records(pg_cluster) -> None:  # type: ignore[no-untyped-def]
    """A server of server schema 1 (programmes and the library only) gains the record tables from `boq server init`."""
    from estimator.server import admin, schema

    url = pg_cluster.database()
    admin.init(url)
    with psycopg.connect(url) as conn:
        for t in reversed(schema.record_tables()):
            conn.execute(f"DROP TABLE boq.{t.name}")
        conn.execute("DROP FUNCTION boq.record_stamp(), boq.append_only(), boq.announce_records()")
        conn.execute("UPDATE boq.server_info SET value = '1' WHERE key = 'server_schema'")
    message = admin.init(url)
    assert "upgraded" in message and "server schema 1" in message
    assert "already set up" in admin.init(url)
    locations.create(f"{url}#p", programme())
    assert main(["tender", "issue", f"{url}#p", "--name", "Rev 0"]) == 0
    assert _count(url, "revisions") == 1


def test_a_working_copy_takes_the_servers_record_on_a_clash(pg_cluster, shared: dict[str, str], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The window's working copy is the server's cache: a revision or contract entry that lost the race is
    dropped from it (named, for the user to make again), with the entries it recorded after it, and the
    server's are taken in; nothing of the server's changes."""
    from estimator.server.workcopy import sync_records

    a, b = _two_officers(pg_cluster, shared, tmp_path)
    omar = shared["pat"].replace("pat@", "omar@")
    lot = load(a).facilities[0].uid
    for n, path in enumerate((a, b)):
        with Project.open(path) as project:
            revisions.issue(project, "Rev 1", dt.date(2027, 1, 10 + n))
            for period in (1, 2):  # entries 1 and 2 on both sides, other content
                storage.append(project, lot, "measurement", period, "", dt.date(2027, 2, period + n), {},
                               [("x", {"quantity": str(period + n)})])
    with Project.open(a) as project:
        done = sync_records(project, shared["pat"], "Harim")
        assert (done.pushed, done.pulled, done.dropped) == (3, 0, ())
    with Project.open(b) as project:
        done = sync_records(project, omar, "Harim")
        assert done.pushed == 0 and done.pulled == 3
        assert done.dropped == ("tender revision 'Rev 1'", "contract entry 1 (measurement of period 1, lot "
                                "'Harim Health Centre')", "contract entry 2 (measurement of period 2, lot "
                                "'Harim Health Centre')")
        assert revisions.find(project, "Rev 1").date == dt.date(2027, 1, 10)  # pat's
        entries = project.connection.execute("SELECT seq, date FROM contract_log ORDER BY seq").fetchall()
        assert entries == [(1, "2027-02-01"), (2, "2027-02-02")]
    with psycopg.connect(shared["vera"]) as conn:
        assert conn.execute("SELECT created_by FROM boq.contract_log").fetchall() == [("pat",), ("pat",)]
    # outside the window (a file of one's own), a clash is refused and nothing is dropped
    c = tmp_path / "c.boq"
    pull_to_file(omar, "Harim", c)
    with Project.open(c) as project:
        storage.append(project, lot, "measurement", 3, "", dt.date(2027, 3, 1), {}, [("x", {"quantity": "9"})])
    with Project.open(a) as project:
        storage.append(project, lot, "measurement", 3, "", dt.date(2027, 3, 2), {}, [("x", {"quantity": "8"})])
    push_file(a, shared["pat"], "Harim")
    with pytest.raises(RecordsConflict, match=r"contract entry 3 \(measurement of period 3.*made by pat"):
        push_file(c, omar, "Harim")
    with Project.open(c, readonly=True) as project:
        assert project.connection.execute("SELECT date FROM contract_log WHERE seq = 3").fetchone() == ("2027-03-01",)


def test_a_forged_snapshot_on_the_server_is_not_taken_in(shared: dict[str, str], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """An estimator may insert snapshots (for baselines): one whose content does not match its hash, put there
    with raw SQL ahead of a revision that needs that hash, is refused when pulled, with nothing copied."""
    import zlib

    assert _run(capsys, "tender", "issue", f"{shared['pat']}#Harim", "--name", "Rev 0")[0] == 0
    with psycopg.connect(shared["alice"]) as conn:
        pid = conn.execute("SELECT id FROM boq.programmes").fetchone()[0]  # type: ignore[index]
        conn.execute("INSERT INTO boq.snapshots (programme_id, hash, data) VALUES (%s, %s, %s)",
                     (pid, "0" * 64, zlib.compress(b'{"facility": "forged"}')))
    code, _, err = _run(capsys, "tender", "list", f"{shared['vera']}#Harim")
    assert code == 1 and "does not match it" in err and "Traceback" not in err


def test_the_server_knows_every_kind_of_revision() -> None:
    """`revisions.kind` values (TENDER, BASELINE) each have a writer role on the server and a name in messages."""
    from estimator.server import records, schema

    assert set(schema.REVISION_WRITERS) == set(revisions.KIND_NAMES) == set(records.KIND_NAMES)
    assert records.KIND_NAMES == revisions.KIND_NAMES
    assert schema.REVISION_WRITERS[revisions.TENDER] == schema.ROLES["procurement"]
    assert schema.REVISION_WRITERS[revisions.BASELINE] == schema.ROLES["estimator"]


def _two_officers(pg_cluster, shared: dict[str, str], tmp_path: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """Copies of "Harim" checked out by two procurement officers, pat and omar (pat's first)."""
    with psycopg.connect(pg_cluster.url(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'omar'").fetchone():
            conn.execute("CREATE ROLE omar LOGIN IN ROLE boq_procurement")
    omar = shared["pat"].replace("pat@", "omar@")
    a, b = tmp_path / "pat.boq", tmp_path / "omar.boq"
    pull_to_file(shared["pat"], "Harim", a)
    pull_to_file(omar, "Harim", b)
    return a, b
