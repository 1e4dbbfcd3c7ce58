#!/usr/bin/env bash
# The action's install step: trailwatch's npm dependencies from the action's own lockfile, then the build.
# Puppeteer never downloads a browser (the next step finds or installs one).
set -euo pipefail
cd "$GITHUB_ACTION_PATH"
export PUPPETEER_SKIP_DOWNLOAD=1
npm ci --no-audit --no-fund
npm run build --silent
node bin/trailwatch.js --version
