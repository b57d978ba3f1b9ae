#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine, then run it.
# Debian packages: chromium (browser tests), a headless JRE (Nu Html Checker), LibreOffice
# Calc and Writer (office imports), poppler-utils, CJK fonts.
# Python packages: the project with its [test] extra, in .venv.  npm: axe-core, vnu-jar.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
need_apt=""
command -v chromium >/dev/null 2>&1 || need_apt="$need_apt chromium"
command -v java >/dev/null 2>&1 || need_apt="$need_apt default-jre-headless"
command -v libreoffice >/dev/null 2>&1 || need_apt="$need_apt libreoffice-calc-nogui"
# Word: .doc/.wps/.rtf/.odt imports are converted by LibreOffice Writer (and the tests make .doc files).
[ -e /usr/lib/libreoffice/program/libswlo.so ] || need_apt="$need_apt libreoffice-writer-nogui"
command -v pdfinfo >/dev/null 2>&1 || need_apt="$need_apt poppler-utils"
{ command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || need_apt="$need_apt fonts-noto-cjk"
command -v npm >/dev/null 2>&1 || need_apt="$need_apt npm"
# nginx-light: tests/test_publishing.py runs the nginx configuration of docs/publishing.md
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need_apt="$need_apt nginx-light"
if [ -n "$need_apt" ]; then
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $need_apt >/dev/null
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/pip install -q -e ".[test]"
if [ -f package.json ]; then npm ci --no-audit --no-fund --silent; fi

.venv/bin/ruff check site_builder tests benchmarks
.venv/bin/mypy --strict site_builder
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
