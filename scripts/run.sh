#!/usr/bin/env bash
# Set up (first time) and run the bot: ./scripts/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
if [ ! -f .env ]; then
    cp .env.example .env
    echo "Created .env from .env.example: put your BOT_TOKEN (and SECRETARY_IDS) in it." >&2
fi
exec .venv/bin/python -m bot run "$@"
