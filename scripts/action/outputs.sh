#!/usr/bin/env bash
# The action's outputs step: counts and completeness from the bundle's findings.json, and the bundle's path.
set -euo pipefail
node "$GITHUB_ACTION_PATH/scripts/action/outputs.mjs" "${TW_OUT}" >> "$GITHUB_OUTPUT"
