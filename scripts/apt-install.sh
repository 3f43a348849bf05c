#!/usr/bin/env bash
# Installs Debian packages with apt-get, as root or with password-less sudo, for the scripts that
# make sure the e2e tests' system programs are there (ensure-chromium.sh,
# ensure-queue-services.sh). Usage: apt-install.sh <caller name> <package>...
# Fails with a message naming the packages when apt-get is missing or rights are lacking.
set -euo pipefail

caller=$1
shift
if ! command -v apt-get >/dev/null 2>&1; then
	echo "$caller: $* missing and apt-get is not available; install them yourself" >&2
	exit 1
fi
SUDO=()
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO=(sudo -n)
	else
		echo "$caller: $* missing; run as root: apt-get update && apt-get install -y $*" >&2
		exit 1
	fi
fi
echo "$caller: installing $* with apt-get (once per machine)..." >&2
"${SUDO[@]}" apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "$@" >&2
