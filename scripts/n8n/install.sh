#!/usr/bin/env bash
# Installs a pinned n8n line for the end-to-end tests into a cache folder outside the repo.
#   scripts/n8n/install.sh <line-id>|all [--json] [--force] [--update-lock] [--check]
#   scripts/n8n/install.sh --list
# Lines and versions: scripts/n8n/versions.json. Cache: ${N8N_E2E_CACHE:-~/.cache/n8n-nodes-alibaba-ecs}.
# Needs only the machine's Node 20 + npm (+ python3, make, g++ for sqlite3's native build).
set -euo pipefail
exec node "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/install.mjs" "$@"
