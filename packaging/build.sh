#!/usr/bin/env bash
# Build dist/conduit, the single-file Conduit binary (Linux x86_64, Python 3.11).
#
# 1. Downloads the pinned, hash-checked build requirements into build/wheelhouse (--require-hashes).
# 2. Installs them into a build virtualenv (build/venv) from that wheelhouse only, then Conduit with --no-deps.
# 3. Runs PyInstaller on packaging/conduit.spec and prints the binary's size.
# Environment: PYTHON (interpreter for the build venv, default python3), CONDUIT_BUILD_DIR (default build/).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${CONDUIT_BUILD_DIR:-$root/build}"
requirements="$root/packaging/requirements-build.txt"
wheelhouse="$build/wheelhouse"
venv="$build/venv"

echo "== downloading pinned build requirements into $wheelhouse"
"${PYTHON:-python3}" -m pip download --quiet --require-hashes --only-binary=:all: --dest "$wheelhouse" \
    -r "$requirements"

if [ ! -x "$venv/bin/python" ]; then
    echo "== creating $venv"
    "${PYTHON:-python3}" -m venv "$venv"
fi
echo "== installing build requirements (hash-checked, from the wheelhouse only)"
"$venv/bin/python" -m pip install --quiet --no-index --find-links "$wheelhouse" --require-hashes -r "$requirements"
echo "== installing conduit"
"$venv/bin/python" -m pip install --quiet --no-index --no-deps --no-build-isolation --force-reinstall "$root"

echo "== running PyInstaller"
"$venv/bin/python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$root/dist" --workpath "$build/pyinstaller" "$root/packaging/conduit.spec"

size_bytes=$(stat -c %s "$root/dist/conduit")
echo "== built $root/dist/conduit ($((size_bytes / 1024 / 1024)) MiB, $size_bytes bytes)"
