#!/usr/bin/env bash
# Install the Debian packages the test suite drives for real: Chromium (browser tests),
# PostgreSQL (the database) and GNU gettext (the translation check). Needs root, or sudo, the
# first time; afterwards it does nothing.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
# xgettext: a test extracts the translatable strings again to find any missing from locale/.
command -v xgettext >/dev/null || need+=(gettext)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null; then
  apt_get=(sudo apt-get)
else
  echo "Please install: ${need[*]} (apt-get install -y ${need[*]})" >&2
  exit 1
fi
echo "Installing ${need[*]} from Debian's packages…"
export DEBIAN_FRONTEND=noninteractive
"${apt_get[@]}" update -qq
"${apt_get[@]}" install -y -qq "${need[@]}" >/dev/null
