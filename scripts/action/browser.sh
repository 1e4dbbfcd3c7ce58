#!/usr/bin/env bash
# The action's browser step: the evidence PDF needs Chrome or Chromium. Use the one named by
# PUPPETEER_EXECUTABLE_PATH, else one on the PATH (GitHub's Ubuntu runners ship Google Chrome), else install
# Chromium with apt-get. Without one the run still writes everything but the PDF, and says so (exit code 2).
set -euo pipefail
found=""
if [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ -x "${PUPPETEER_EXECUTABLE_PATH}" ]; then
  found="$PUPPETEER_EXECUTABLE_PATH"
fi
if [ -z "$found" ]; then
  for b in google-chrome google-chrome-stable chromium chromium-browser; do
    if p="$(command -v "$b")"; then found="$p"; break; fi
  done
fi
if [ -z "$found" ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "trailwatch: no browser found, installing chromium with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null || true
  found="$(command -v chromium || command -v chromium-browser || true)"
fi
if [ -n "$found" ]; then
  echo "trailwatch: browser $found"
  echo "PUPPETEER_EXECUTABLE_PATH=$found" >> "$GITHUB_ENV"
  echo "path=$found" >> "$GITHUB_OUTPUT"
else
  echo "::warning title=trailwatch::No Chrome or Chromium found or installable: evidence.pdf will be missing and the audit marked incomplete."
fi
