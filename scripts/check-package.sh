#!/usr/bin/env bash
# Packs trailwatch as npm would publish it (prepack builds dist/), installs the tarball into an empty folder,
# and runs the installed `trailwatch rules list` and `trailwatch demo` from there: the package must work
# without the repository around it.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tarball="$(npm pack --silent --pack-destination "$work" | tail -1)"
mkdir "$work/empty"
cd "$work/empty"
echo '{ "name": "trailwatch-install-check", "private": true }' > package.json
PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --prefer-offline "$work/$tarball" >/dev/null
npx --no-install trailwatch rules list --json > rules.json
node -e 'const r = require("./rules.json"); if (r.length < 10) throw new Error(`only ${r.length} rules`)'
npx --no-install trailwatch demo --out demo-out > demo.log 2>&1 || { code=$?; [ "$code" -le 1 ] || { cat demo.log; exit "$code"; }; }
for f in findings.json findings.ocsf.json findings.csv findings.jsonl digest.html manifest.json; do
  [ -s "demo-out/$f" ] || { echo "check-package: the installed demo wrote no $f" >&2; cat demo.log; exit 1; }
done
echo "check-package: $tarball installs and runs (rules list, demo)"
