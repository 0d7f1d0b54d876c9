"""Push and pull of a programme on a PostgreSQL server (issue 21), next to their floor.

- first push: `boq push` of a new programme (rows staged with COPY, one INSERT per table, triggers and
  row-level security) vs raw psycopg COPY of the same rows into an unindexed table.
- pull: `boq pull` (one consistent read, rows checked by the store's reader, written to a .boq) vs raw
  psycopg SELECT of every row into tuples.
- push, 1 % changed: a pulled copy with 240 items changed pushed back (three-way merge of every row,
  240 upserts) and push with nothing changed (the merge alone).
Each line gives the client's wall seconds (best of 3) and, in the notes, the client's CPU seconds and
the server backend's CPU seconds (from /proc, so it needs the server on this machine).

Run: python -m benchmarks.bench_server [--facilities 80 --items 300] [--url postgresql://...]
Without --url a throwaway cluster is started (tests/support/postgres.py) and removed afterwards.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.common import Result, table

_names = itertools.count()


def _backend_cpu(conn: Any) -> float:
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    import os

    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _best(run: Any, repeat: int = 3) -> tuple[float, float, float]:
    """Best wall seconds, with the client CPU and server CPU seconds of that run."""
    best = (float("inf"), 0.0, 0.0)
    for _ in range(repeat):
        wall, cpu, server = run()
        if wall < best[0]:
            best = (wall, cpu, server)
    return best


def run(facilities: int, items: int, url: str | None = None) -> list[Result]:
    import psycopg

    from estimator.server import admin
    from estimator.server.connect import connect
    from estimator.server.rows import programme_rows, tables
    from estimator.server.sync import pull_state, pull_to_file, push_file, push_programme
    from estimator.store import Project
    from estimator.synthetic import generate

    cluster = None
    if url is None:
        from tests.support.postgres import Cluster, binaries

        bindir = binaries()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed")
        cluster = Cluster(bindir)
        url = cluster.database()
    try:
        admin.init(url)
        size = f"{facilities} x {items}"
        programme = generate(facilities, items, seed=1)
        folder = Path(tempfile.mkdtemp(prefix="boq-bench-"))
        source = folder / "source.boq"
        Project.create(source, programme).close()
        rows = programme_rows(programme)
        results = []

        def first_push() -> tuple[float, float, float]:
            name = f"bench{next(_names)}"
            conn = connect(url)
            s0, c0, t0 = _backend_cpu(conn), time.process_time(), time.perf_counter()
            push_programme(url, name, programme, None, conn=conn)
            out = time.perf_counter() - t0, time.process_time() - c0, _backend_cpu(conn) - s0
            conn.close()
            return out

        def raw_copy() -> tuple[float, float, float]:
            with psycopg.connect(url) as conn:
                s0, c0, t0 = _backend_cpu(conn), time.process_time(), time.perf_counter()
                for table, (cols, _n) in tables().items():
                    conn.execute(f"CREATE TEMP TABLE raw_{table} AS SELECT {', '.join(cols)} FROM boq.{table} WITH NO DATA")
                    with conn.cursor().copy(f"COPY raw_{table} FROM STDIN") as copy:
                        for row in rows[table].values():
                            copy.write_row(row)
                conn.commit()
                return time.perf_counter() - t0, time.process_time() - c0, _backend_cpu(conn) - s0

        push_programme(url, "main", programme, None)
        wall, cpu, server = _best(first_push)
        floor, _c, _s = _best(raw_copy)
        results.append(Result("server: first push", size, wall, 0, "psycopg COPY of the same rows", floor,
                              note=f"client CPU {cpu:.2f} s, server CPU {server:.2f} s"))

        def pull() -> tuple[float, float, float]:
            target = folder / f"pull{next(_names)}.boq"
            conn = connect(url)
            s0, c0, t0 = _backend_cpu(conn), time.process_time(), time.perf_counter()
            state = pull_state(url, "main", conn)
            with Project.create(target, state.programme) as project:
                from estimator.server.sync import write_base

                write_base(project.connection, url, "main", state)
            out = time.perf_counter() - t0, time.process_time() - c0, _backend_cpu(conn) - s0
            conn.close()
            return out

        def raw_select() -> tuple[float, float, float]:
            with psycopg.connect(url) as conn:
                s0, c0, t0 = _backend_cpu(conn), time.process_time(), time.perf_counter()
                for table, (cols, _n) in tables().items():
                    conn.execute(f"SELECT {', '.join(cols)}, version FROM boq.{table}").fetchall()
                return time.perf_counter() - t0, time.process_time() - c0, _backend_cpu(conn) - s0

        wall, cpu, server = _best(pull)
        floor, _c, _s = _best(raw_select)
        results.append(Result("server: pull to .boq", size, wall, 0, "psycopg SELECT of every row", floor,
                              note=f"client CPU {cpu:.2f} s, server CPU {server:.2f} s"))

        def push_changed(fraction: int) -> tuple[float, float, float]:
            copy = folder / f"copy{next(_names)}.boq"
            pull_to_file(url, "main", copy)
            if fraction:
                with Project.open(copy) as project:
                    all_items = [it for f in project.programme.facilities for it in f.items()]
                    for it in all_items[:: 100 // fraction]:
                        it.quantity += Decimal("0.5")
                    project.save()
            t0, c0 = time.perf_counter(), time.process_time()
            push_file(copy, url, "main")
            return time.perf_counter() - t0, time.process_time() - c0, 0.0

        for fraction, label in ((1, "1 % of items changed"), (0, "nothing changed")):
            wall, cpu, _server = _best(lambda f=fraction: push_changed(f))  # type: ignore[misc]
            results.append(Result(f"server: push back, {label}", size, wall, 0, note=f"client CPU {cpu:.2f} s"))
        return results
    finally:
        if cluster is not None:
            cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facilities", type=int, default=80)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--url", help="an initialised or empty database (default: a throwaway local cluster)")
    args = parser.parse_args()
    results = run(args.facilities, args.items, args.url)
    print(table(results))
    for r in results:
        print(f"{r.name}: {r.note}")


if __name__ == "__main__":
    main()
