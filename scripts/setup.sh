#!/usr/bin/env bash
# Set up a source checkout: a virtual environment with deckgen installed (editable) and reveal.js
# from npm (package-lock.json pins version and integrity). `--test` adds the test tools and, where
# it can, Debian's chromium for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false
[ "${1:-}" = "--test" ] && want_test=true

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
if $want_test; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
else
  .venv/bin/python -m pip install --quiet -e .
fi
# Byte-compile deckgen (and the templates the install compiled) as pip does for a package it
# installs but not for an editable one: where PYTHONDONTWRITEBYTECODE is set, Python would
# otherwise compile deckgen's modules again on every run (docs/benchmark.md says what it costs).
.venv/bin/python -m compileall -q src/deckgen

# reveal.js is never committed: npm installs the pinned version from the lock file.
npm ci --no-audit --no-fund --loglevel=error

if $want_test && { ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1 || ! command -v msgfmt >/dev/null 2>&1; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian's chromium, poppler-utils and gettext for the browser, PDF and catalogue tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils gettext >/dev/null
  else
    echo "setup: no chromium, poppler-utils or gettext; browser, PDF and msgfmt tests will be skipped (install Debian's 'chromium', 'poppler-utils' and 'gettext')" >&2
  fi
fi
echo "setup: done (.venv ready, reveal.js installed)"
