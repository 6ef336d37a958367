# Sourced by scripts/test and scripts/demo: make sure .venv exists and matches pyproject.toml,
# then put it first on PATH. Works from any directory; leaves the caller in the repo root.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v python3 >/dev/null 2>&1; then
    echo "error: python3 not found on PATH; hishel needs Python >= 3.10" >&2
    exit 1
fi
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
    echo "error: hishel needs Python >= 3.10, but python3 is $(python3 --version 2>&1)" >&2
    exit 1
fi

VENV="$ROOT/.venv"
STAMP="$VENV/.pyproject.sha256"  # hash of pyproject.toml at the last successful install

# (Re)create the venv when missing, broken, or built by a Python older than 3.10.
if ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1; then
    echo "==> creating $VENV with $(python3 --version 2>&1)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
fi

PYPROJECT_HASH="$(python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' pyproject.toml)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$PYPROJECT_HASH" ]; then
    echo "==> installing hishel and its dev dependencies into .venv (pip install -e \".[dev]\")"
    PIP_NO_INPUT=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
        "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
    echo "$PYPROJECT_HASH" >"$STAMP"
fi

export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"
unset PYTHONHOME
