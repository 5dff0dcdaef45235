#!/usr/bin/env bash
# Write a CycloneDX (JSON) SBOM of the Python environment Conduit is installed in, with `cyclonedx-py environment`.
#
# Usage: packaging/sbom.sh [PYTHON] [OUTPUT]
#   PYTHON  interpreter of the environment to describe; default build/venv/bin/python (the environment
#           packaging/build.sh bundles into dist/conduit), else the python3 on PATH
#   OUTPUT  default dist/conduit-sbom.cdx.json
# cyclonedx-bom runs from its own virtualenv (build/sbom-venv), so it does not appear in the SBOM.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${CONDUIT_BUILD_DIR:-$root/build}"
target="${1:-}"
if [ -z "$target" ]; then
    if [ -x "$build/venv/bin/python" ]; then target="$build/venv/bin/python"; else target="$(command -v python3)"; fi
fi
output="${2:-$root/dist/conduit-sbom.cdx.json}"
tools="$build/sbom-venv"

if [ ! -x "$tools/bin/cyclonedx-py" ]; then
    "${PYTHON:-python3}" -m venv "$tools"
    "$tools/bin/python" -m pip install --quiet cyclonedx-bom==7.5.0
fi
mkdir -p "$(dirname "$output")"
"$tools/bin/cyclonedx-py" environment --output-format JSON --output-file "$output" --mc-type application \
    --pyproject "$root/pyproject.toml" "$target"
count=$("$tools/bin/python" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["components"]))' "$output")
echo "== wrote $output ($count components)"
