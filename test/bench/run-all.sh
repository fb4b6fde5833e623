#!/usr/bin/env bash
# `make bench`: every benchmark in test/bench, one after the other (they measure; they never fail on a figure).
# Run one alone with `npx tsx test/bench/<name>.ts` or `bash test/bench/<name>.sh`.
set -uo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/node_modules/.bin:$PATH"
# Files starting with _ are helpers of a benchmark, not benchmarks; .tsx are pages a benchmark serves.
for bench in test/bench/*.ts test/bench/*.sh; do
  [[ -e $bench && $(basename "$bench") != run-all.sh && $(basename "$bench") != _* ]] || continue
  echo "== $bench"
  case $bench in
    *.ts) node --expose-gc --import tsx "$bench" ;;
    *.sh) bash "$bench" ;;
  esac || echo "== $bench: failed to run"
done
