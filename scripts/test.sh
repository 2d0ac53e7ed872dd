#!/usr/bin/env bash
# `make test`: lint + type check, unit tests, e2e tests (each e2e run gets its own database and
# Redis prefix, see test/harness). Runs every stage even when one fails, then prints one line
# totalling every suite: "N passed, N failed" (tests; a failed lint or type check adds a failure).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .local
passed=0 failed=0 status=0

stage() { printf '\n=== %s ===\n' "$1"; }

stage "lint and type check"
make --no-print-directory lint || { failed=$((failed + 1)); status=1; }

stage "build (the e2e tests start the built worker as a real process)"
npm run build --silent || { failed=$((failed + 1)); status=1; }

JEST=(node --experimental-vm-modules --no-warnings node_modules/jest/bin/jest.js --ci)
for project in unit medium e2e; do
  stage "$project tests"
  report=.local/jest-$project.json
  rm -f "$report"
  "${JEST[@]}" --selectProjects "$project" --json --outputFile="$report" || status=1
  if [[ -f $report ]]; then
    read -r p f < <(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests,r.numFailedTests+r.numRuntimeErrorTestSuites)' "$PWD/$report")
    passed=$((passed + p)) failed=$((failed + f))
  else
    failed=$((failed + 1))
  fi
done

echo
echo "$passed passed, $failed failed"
exit $status
