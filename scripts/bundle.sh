#!/usr/bin/env bash
# Builds the self-contained application folder dist/boq-estimator/ (PyInstaller onedir, spec in
# packaging/): the window `boq-estimator`, the command `boq`, the rate library, templates and fonts.
# Uses .venv (made by scripts/bootstrap.sh if missing) and installs PyInstaller into it (the `bundle`
# extra) if it is not there. Builds for the machine it runs on (Linux here; scripts\bundle.ps1 on Windows).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || bash scripts/bootstrap.sh
if ! .venv/bin/python -c 'import PyInstaller' 2>/dev/null; then
  echo "bundle: installing PyInstaller into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[bundle]"
fi
.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/boq-estimator.spec
git rev-parse HEAD > dist/boq-estimator/BUILT_FROM 2>/dev/null || true
echo "bundle: dist/boq-estimator/ ($(du -sh dist/boq-estimator | cut -f1)); run dist/boq-estimator/boq-estimator or dist/boq-estimator/boq"
