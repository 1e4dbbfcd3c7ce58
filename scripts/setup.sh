#!/usr/bin/env bash
# Sets up trailwatch on a fresh machine: the system packages the PDF and its tests need (Debian/Ubuntu:
# Chromium and poppler-utils, only when missing), then the npm dependencies from the lockfile.
# Puppeteer never downloads a browser: trailwatch uses the installed one.
set -euo pipefail
cd "$(dirname "$0")/.."

have_browser() {
  [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ -x "${PUPPETEER_EXECUTABLE_PATH}" ] && return 0
  for b in chromium chromium-browser google-chrome google-chrome-stable; do command -v "$b" >/dev/null 2>&1 && return 0; done
  return 1
}

missing=()
have_browser || missing+=(chromium fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)

if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "setup: installing ${missing[*]} with apt-get"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: ${missing[*]} missing and no apt-get here; install Chromium (or set PUPPETEER_EXECUTABLE_PATH)" \
      "and poppler-utils yourself. Without a browser trailwatch still writes everything but the PDF." >&2
  fi
fi

export PUPPETEER_SKIP_DOWNLOAD=1
npm ci --no-audit --no-fund
