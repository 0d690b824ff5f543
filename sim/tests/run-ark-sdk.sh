#!/usr/bin/env bash
# Run sim/tests/ark_sdk.py (the official Ark Python SDK) against a fresh seedance-sim.
#
# Starts the simulator binary on a free port (reads its first stdout line for the address),
# runs the script with the project's venv, and always stops the simulator.
# Env: PYTHON (default <repo>/.venv/bin/python), SEEDANCE_SIM_BIN (default: cargo build).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
python="${PYTHON:-$repo/.venv/bin/python}"
if [[ ! -x "$python" ]]; then
    echo "run-ark-sdk: $python not found; create the venv: python3 -m venv $repo/.venv && $repo/.venv/bin/pip install -r $here/requirements.txt" >&2
    exit 1
fi
if ! "$python" -c "import volcenginesdkarkruntime" 2>/dev/null; then
    echo "run-ark-sdk: volcengine-ark-runtime missing; run $repo/.venv/bin/pip install -r $here/requirements.txt" >&2
    exit 1
fi

bin="${SEEDANCE_SIM_BIN:-}"
if [[ -z "$bin" ]]; then
    (cd "$repo" && cargo build -q -p seedance-sim)
    bin="${CARGO_TARGET_DIR:-$repo/target}/debug/seedance-sim"
fi

out="$(mktemp)"
"$bin" --port 0 --fast --quiet >"$out" 2>&1 &
sim_pid=$!
cleanup() { kill "$sim_pid" 2>/dev/null || true; wait "$sim_pid" 2>/dev/null || true; rm -f "$out"; }
trap cleanup EXIT

url=""
for _ in $(seq 1 100); do
    line="$(head -n 1 "$out" 2>/dev/null || true)"
    if [[ "$line" == "seedance-sim listening on "* ]]; then
        url="${line#seedance-sim listening on }"
        break
    fi
    kill -0 "$sim_pid" 2>/dev/null || { echo "run-ark-sdk: simulator exited: $(cat "$out")" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$url" ]] || { echo "run-ark-sdk: simulator did not report its address" >&2; exit 1; }

"$python" "$here/ark_sdk.py" "$url"
