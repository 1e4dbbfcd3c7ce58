#!/usr/bin/env bash
# The action's last step: fail with trailwatch's own exit code, after the outputs and the artifact.
set -euo pipefail
code="${TW_EXIT:-}"
case "$code" in
  0) exit 0 ;;
  1) echo "::error title=trailwatch::alerts found (fail-on: alert); see the job summary" ;;
  2) echo "::error title=trailwatch::the audit is incomplete (something could not be evaluated or delivered); see the job summary" ;;
  3) echo "::error title=trailwatch::bad configuration or input; see the log above" ;;
  '') echo "::error title=trailwatch::the audit step did not finish"; code=4 ;;
  *) echo "::error title=trailwatch::trailwatch failed (exit code $code)" ;;
esac
exit "$code"
