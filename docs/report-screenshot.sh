#!/usr/bin/env bash
# Regenerates docs/report-hezhang.png: the report of a plan for instances/hezhang in headless
# Chromium. With no argument the plan is the seed document's own groups and pairings
# (groups_seed.csv, baseline_pairings.csv) and no moves; pass a plan folder (e.g. the output of
# `rotaplan plan`) to show a solved plan instead.
# Needs: chromium, and fonts-noto-cjk for the Chinese text (apt-get install chromium fonts-noto-cjk).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
plan=${1:-}
if [ -z "$plan" ]; then
  plan="$work/plan"
  mkdir -p "$plan"
  cp instances/hezhang/groups_seed.csv "$plan/groups.csv"
  cp instances/hezhang/baseline_pairings.csv "$plan/pairings.csv"
  printf 'teacher,from,to,kind,subject,start_year,end_year,slot\n' > "$plan/moves.csv"
fi
cargo run --quiet -- report instances/hezhang --plan "$plan" --policy instances/hezhang/policy.toml
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --hide-scrollbars --window-size=1400,1800 \
  --virtual-time-budget=2000 --screenshot="$PWD/docs/report-hezhang.png" \
  "file://$(cd "$plan" && pwd)/report.html" 2>/dev/null
echo "wrote docs/report-hezhang.png"
