#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the browser e2e test (test/e2e/editor.test.ts),
# which drives it with playwright-core (browser downloads through `playwright install` do not
# work on these machines). Installs it with apt-get when ${CHROMIUM_PATH:-/usr/bin/chromium}
# is missing; needs root or password-less sudo. Idempotent: exits at once when it is there.
set -euo pipefail

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
	exit 0
fi
if [ -n "${CHROMIUM_PATH:-}" ]; then
	echo "ensure-chromium: CHROMIUM_PATH=$CHROMIUM_PATH does not exist" >&2
	exit 1
fi
started=$(date +%s)
bash "$(dirname "$0")/apt-install.sh" ensure-chromium chromium
if [ ! -x "$CHROMIUM" ]; then
	echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing" >&2
	exit 1
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null | head -n1) in $(($(date +%s) - started)) s" >&2
