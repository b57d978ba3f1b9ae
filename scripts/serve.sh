#!/usr/bin/env bash
# Install site-builder into .venv, build the shipped content into output/ and serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q -e .
.venv/bin/site-builder validate
.venv/bin/site-builder build
exec .venv/bin/site-builder serve --host 127.0.0.1 --port "${PORT:-8000}"
