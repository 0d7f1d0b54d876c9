"""The contract tables of a `.boq` file (format 7). Append-only: rows are inserted, never updated or deleted.

`contract_log` holds one row per recorded event of a lot's contract (award, variation, approval,
measurement, certificate) with its figures as JSON; `contract_lines` the event's item lines (the
contract BoQ of an award, the changes of a variation, the quantities of a measurement, the lines of a
certificate), so a 24,000-item contract is 24,000 small rows rather than one huge value. Like the
frozen revisions they are not part of `Project.save()`'s diff; `estimator.contracts.storage` owns them.
This module imports nothing, so `estimator.store` can add the schema without an import cycle.
"""

CONTRACT_TABLES = ("contract_log", "contract_lines")
CONTRACT_SCHEMA = """
CREATE TABLE contract_log (seq INTEGER PRIMARY KEY, lot TEXT NOT NULL, kind TEXT NOT NULL, period INTEGER NOT NULL,
    name TEXT NOT NULL, date TEXT NOT NULL, created TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE contract_lines (entry INTEGER NOT NULL REFERENCES contract_log(seq), pos INTEGER NOT NULL,
    item TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (entry, pos));
"""
CONTRACT_MIGRATION = [sql.strip() for sql in CONTRACT_SCHEMA.split(";") if sql.strip()]
