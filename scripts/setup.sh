#!/usr/bin/env bash
# Set up stickerscan on Debian/Ubuntu: system packages (Tesseract, fonts, Chromium for the
# HTML report test, Python venv support) when missing, then a virtual environment in .venv
# with the package and its development tools.  Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr-eng)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# The scene generator (samples, tests, benchmarks) draws in DejaVu's condensed and oblique
# faces too: without them it chooses among fewer faces, and a seed makes other photos.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf ] || need+=(fonts-dejavu-extra)
# Headless Chromium renders the batch HTML report in the tests.
command -v chromium >/dev/null 2>&1 || need+=(chromium)

if [ ${#need[@]} -gt 0 ]; then
    echo "setup: installing system packages: ${need[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
# The versions last tested (scripts/constraints.txt), not whatever was released since.
.venv/bin/python -m pip install --quiet --disable-pip-version-check \
    -c scripts/constraints.txt -e '.[dev]'
echo "setup: ready; run .venv/bin/stickerscan PHOTO" >&2
