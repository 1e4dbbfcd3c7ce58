#!/usr/bin/env bash
# The action's audit step: `trailwatch run` with the action's inputs, passed as arguments (never pasted into
# a script). Its exit code is kept as an output, and the step itself succeeds, so the outputs are read and
# the bundle uploaded before the last step passes the code on.
set -uo pipefail
args=(run --config "${TW_CONFIG}" --out "${TW_OUT}")
[ -n "${TW_DATE:-}" ] && args+=(--date "${TW_DATE}")
[ -n "${TW_ORG_SNAPSHOT:-}" ] && args+=(--org-snapshot "${TW_ORG_SNAPSHOT}")
case "${TW_EMAIL:-true}" in
  true) ;;
  false) args+=(--no-email) ;;
  *) echo "::error title=trailwatch::input email must be true or false"; echo "exit-code=3" >> "$GITHUB_OUTPUT"; exit 0 ;;
esac
case "${TW_FAIL_ON:-}" in
  '') ;;
  alert | never) args+=(--fail-on "${TW_FAIL_ON}") ;;
  *) echo "::error title=trailwatch::input fail-on must be alert, never or empty"; echo "exit-code=3" >> "$GITHUB_OUTPUT"; exit 0 ;;
esac
node "$GITHUB_ACTION_PATH/bin/trailwatch.js" "${args[@]}"
code=$?
echo "exit-code=$code" >> "$GITHUB_OUTPUT"
exit 0
