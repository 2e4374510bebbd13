#!/usr/bin/env bash
# Installs what the project needs from Debian when it is missing: gettext (compilemessages),
# PostgreSQL 15 (the second database the suite runs on), Chromium (browser tests) and poppler (pdftotext).
set -euo pipefail
missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
[ -x "$(pg_config --bindir 2>/dev/null)/initdb" ] || missing+=(postgresql postgresql-contrib)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# pdftotext: the tests read the PDFs they make.
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# WeasyPrint renders with Pango; fonts with Swedish characters for the PDFs.
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "system-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
