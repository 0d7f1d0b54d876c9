#!/usr/bin/env bash
# The README's screenshots of the window, English and Arabic, on a virtual 1366 x 768 screen.
#   bash scripts/screenshots.sh      (needs Xvfb and ImageMagick's `import`:
#                                     apt-get install -y xvfb imagemagick x11-utils)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
DISPLAY_NO=${SCREENSHOT_DISPLAY:-:99}
Xvfb "$DISPLAY_NO" -screen 0 1366x768x24 -nolisten tcp &
XVFB=$!
trap 'kill "$XVFB" 2>/dev/null || true' EXIT
for _ in $(seq 50); do xdpyinfo -display "$DISPLAY_NO" >/dev/null 2>&1 && break; sleep 0.1; done
export DISPLAY=$DISPLAY_NO QT_QPA_PLATFORM=xcb
"$PY" -m ui.screenshot docs/screenshot-main.png --screen
"$PY" -m ui.screenshot docs/screenshot-ar-main.png --lang ar --screen
"$PY" -m ui.screenshot docs/screenshot-ar-problems.png --lang ar --scene problems --screen
"$PY" -m ui.screenshot docs/screenshot-ar-export.png --lang ar --scene export --screen
