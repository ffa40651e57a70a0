#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint (ruff), types (mypy --strict), every test under the
# set-up venv's Python, then the tests that need no browser (nor a user's install of deckgen, which
# builds it from source) under every other supported Python (3.10 to 3.13) found on this machine,
# each in a venv of its own under .venvs/, side by side.
# Extra arguments go to the main pytest run (e.g. `-k serve`).
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"

main_version=$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')

# One other Python's run: its own venv (made once), then the tests without a browser. Its output
# goes to .venvs/py<version>.log, shown when it ends; the last line says which Python ran.
run_under() {
  local version=$1 python=$2 venv=".venvs/py$1"
  if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
  fi
  # Only what the tests without a browser need; the editable install reads this checkout.
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -e ".[test]"
  echo "test.sh: the tests without a browser under Python $version ($python)"
  "$venv/bin/python" -m pytest -q -m "not browser and not install" -p no:cacheprovider
  "$venv/bin/python" -c 'import platform; print("test.sh: passed under Python", platform.python_version())'
}

versions=()
pids=()
mkdir -p .venvs
for minor in 10 11 12 13; do
  version="3.$minor"
  [ "$version" = "$main_version" ] && continue
  # pyenv's own install first (its shim on PATH answers only for the versions it has enabled),
  # then whatever PATH has; a candidate counts only if it runs.
  python=""
  for candidate in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python"$version" 2>/dev/null | sort -V -r) \
                   $(command -v "python$version" || true); do
    if "$candidate" -c "import venv" >/dev/null 2>&1; then python=$candidate; break; fi
  done
  [ -n "$python" ] || continue
  # The other Pythons run side by side: their tests wait on processes and disks more than on the
  # processor, and one after another they took most of CI's time.
  run_under "$version" "$python" > ".venvs/py$version.log" 2>&1 &
  versions+=("$version")
  pids+=($!)
done

ran=("$(.venv/bin/python -c 'import platform; print(platform.python_version())')")
failed=()
for i in "${!pids[@]}"; do
  version=${versions[$i]}
  if wait "${pids[$i]}"; then
    ran+=("$(tail -n 1 ".venvs/py$version.log" | sed 's/.* //')")
    grep '^test.sh: the tests' ".venvs/py$version.log"
    grep -v '^test.sh: ' ".venvs/py$version.log" | tail -n 1
  else
    failed+=("$version")
    cat ".venvs/py$version.log"
  fi
done
echo "test.sh: tests ran under Python ${ran[*]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "test.sh: FAILED under Python ${failed[*]}" >&2
  exit 1
fi
