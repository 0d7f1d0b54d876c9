"""After award: each lot's contract, its variations, measurements and interim payment certificates.

    model         what a contract is (items, terms, variations, measurements, certificates)
    storage       the append-only tables in the .boq (format 7; defined in estimator/store/contract_tables.py):
                  reading (hostile file: every row checked) and appending entries, one transaction each
    award         the contract BoQ from the awarded bid's corrected rates (`rates_from_bid`)
    variations    variation orders from CSV: added, omitted and re-measured items; approval
    measurement   cumulative quantities (or % of lump sums) per period, refused above the contract
    certificate   the interim and final payment certificates' arithmetic
    csvinput      variation and measurement files (CSV or XLSX) read without trusting them
    exports       JSON and the certificate workbook; `certificate_pdf` the bilingual PDF
    overview      the programme manager's figures per lot and the certified value over time

Nothing recorded is ever changed or deleted: a correction is a new entry (a re-measured period, an
approval of a pending variation); a certificate, once issued, is reprinted exactly as issued.
"""
