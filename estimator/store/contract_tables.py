"""The contract tables of a `.boq` file (format 7). Append-only: rows are inserted, never updated or deleted.

`contract_log` holds one row per recorded event of a lot's contract (award, variation, approval,
measurement, certificate) with its figures as JSON; `contract_lines` the event's item lines (the
contract BoQ of an award, the changes of a variation, the quantities of a measurement, the lines of a
certificate), so a 24,000-item contract is 24,000 small rows rather than one huge value. Like the
frozen revisions they are not part of `Project.save()`'s diff (and Save As copies them along);
`estimator.contracts.storage` owns them.

Kept in the store's layer (tests/test_layers.py), apart from `schema.py` so the contracts' block stays
in one place; it imports nothing: `estimator.store.schema` turns these rows into its `Table`
definitions (the DDL, the migration from format 6 and the schema check come from there).
"""

SINCE = 7  # the file format that added the contract tables
# (table, ((column, type, references), ...), key); types as in `estimator.store.schema`
CONTRACT_TABLES: tuple[tuple[str, tuple[tuple[str, str, str], ...], tuple[str, ...]], ...] = (
    ("contract_log", (("seq", "integer", ""), ("lot", "text", ""), ("kind", "text", ""), ("period", "integer", ""),
                      ("name", "text", ""), ("date", "text", ""), ("created", "text", ""), ("data", "json", "")),
     ("seq",)),
    ("contract_lines", (("entry", "integer", "contract_log(seq)"), ("pos", "integer", ""), ("item", "text", ""),
                        ("data", "json", "")), ("entry", "pos")),
)
CONTRACT_TABLE_NAMES = tuple(name for name, _columns, _key in CONTRACT_TABLES)
