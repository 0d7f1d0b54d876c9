"""Ten engineers editing one programme at once (10 client processes x 500 random edits, local socket
only, bounded): no update is lost, every refused edit is reported with the value that beat it, and the
final totals equal replaying the accepted edits on the starting programme."""

from __future__ import annotations

import copy
import itertools
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from estimator.pricing import price
from estimator.server import locations
from estimator.synthetic import generate

CLIENTS, EDITS = 10, 500


def test_ten_clients_five_hundred_edits_each(server: str, tmp_path: Path) -> None:
    start = generate(2, 20, seed=11)  # 40 items: many edits collide
    for item in (it for f in start.facilities for it in f.items()):
        item.quantity = Decimal("1000")  # a random walk of +-1 steps stays positive
    where = f"{server}#busy"
    locations.create(where, start)
    from estimator.server.live import LiveProgramme

    first = LiveProgramme(server, "busy")
    initial = {uid: first.item_version(uid) for uid in first.items}
    first.close()

    root = Path(__file__).resolve().parents[2]
    procs = [subprocess.Popen([sys.executable, "-m", "tests.support.live_client", server, "busy", str(seed), str(EDITS),
                               str(tmp_path / f"client{seed}.json")], cwd=root)
             for seed in range(CLIENTS)]
    for proc in procs:
        assert proc.wait(timeout=900) == 0
    runs = [json.loads((tmp_path / f"client{seed}.json").read_text()) for seed in range(CLIENTS)]
    accepted = [a for run in runs for a in run["accepted"]]
    refused = [r for run in runs for r in run["refused"]]
    assert all(len(run["accepted"]) + len(run["refused"]) == EDITS for run in runs)  # every edit answered
    assert refused, "40 items under 10 writers must collide"
    print(f"{len(accepted)} edits accepted, {len(refused)} refused (changed meanwhile) of {CLIENTS * EDITS}")

    # no lost update: per item, the accepted edits form one chain of versions, each based on the one before
    by_version = {a["version"]: a for a in accepted}
    assert len(by_version) == len(accepted)  # one version per accepted edit
    chains: dict[str, list[dict[str, str]]] = {}
    for a in sorted(accepted, key=lambda a: a["version"]):
        chains.setdefault(a["uid"], []).append(a)
    for uid, chain in chains.items():
        assert chain[0]["base"] == initial[uid]
        for before, after in itertools.pairwise(chain):
            assert after["base"] == before["version"], f"item {uid}: an edit overwrote version {after['base']}"
    # every refusal was real and showed the value that beat it
    for r in refused:
        assert r["version"] > r["base"]
        winner = by_version[r["version"]]
        assert winner["uid"] == r["uid"] and winner["value"] == r["shown"]

    # final state = the starting programme with the accepted edits replayed in order
    final = locations.load(where)
    replay = copy.deepcopy(start)
    items = {it.uid: it for f in replay.facilities for it in f.items()}
    for a in sorted(accepted, key=lambda a: a["version"]):
        items[a["uid"]].quantity += Decimal(a["delta"])
    assert {it.uid: it.quantity for f in final.facilities for it in f.items()} == {u: it.quantity for u, it in items.items()}
    assert price(final).grand_total == price(replay).grand_total
    assert price(final).to_json() == price(replay).to_json()
