#!/usr/bin/env bash
# A second set of the rate scenarios with other parameters (round trips, sizes, buffers, rates), for
# checking the verdicts on kernel captures that are not the fixtures: made into an output folder
# (git-ignored), never copied into tests/fixtures. Run from the repository root, as root, then
# compare with the kernel's counters:
#   sudo tools/kernel-captures/rate-alt.sh
#   npx tsx scripts/rate-table.ts tools/kernel-captures/out/rate-alt
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/out/rate-alt}
only=${ONLY:-}
mkdir -p "$out"
wanted() { [ -z "$only" ] || [[ " $only " == *" $1 "* ]]; }
run() { # run "ENV=..." SCENARIO
  wanted "$2" || return 0
  env $1 "$here/make-captures.sh" --out "$out" --only "$2"
}
# SO_RCVBUF 32768, 2 MB over a 40 ms round trip
run "SLOW_BYTES=2000000 SLOW_RCVBUF=32768 DELAY_SLOW_US=20000" slow-rwnd
# paced at 500 kB/s, 2 MB over 10 ms
run "SLOW_BYTES=2000000 SLOW_PACING_BPS=500000 DELAY_SLOW_US=5000" slow-paced
# 32 KB written every 50 ms, 800 KB over 30 ms
run "SLOW_APP_BYTES=800000 SLOW_APP_CHUNK=32768 SLOW_APP_GAP_MS=50 DELAY_SLOW_US=15000" slow-app
# 1 % of the data segments dropped, 2 MB over 40 ms
run "SLOW_BYTES=2000000 SLOW_LOSS_PERMILLE=10 DELAY_SLOW_US=20000" slow-loss
# SO_SNDBUF 32768 behind a 100 Mbit/s interface, 4 MB over 30 ms
SLOW_TBF_AT="cli eth0" SLOW_TBF="rate 100mbit burst 3028 limit 2000000" \
  run "SLOW_BYTES=4000000 SLOW_SNDBUF=32768 DELAY_SLOW_US=15000" slow-sndbuf
# a 5 Mbit/s link with a queue of 300 kB, 2 MB over 40 ms
run "SLOW_BYTES=2000000 SLOW_CABLE_RATE=5mbit SLOW_CABLE_QUEUE=300000 DELAY_SLOW_US=20000" slow-cable
# 64 KB every 500 ms over 40 ms (the RTO about 240 ms), with and without slow start after idle
run "DELAY_SLOW_US=20000 IDLE_BURST_GAP_MS=500" idle-burst
run "DELAY_SLOW_US=20000 IDLE_BURST_GAP_MS=500" idle-burst-off
# 30 requests of 400 bytes in two writes over a 4 ms round trip, without and with TCP_NODELAY
run "NAGLE_N=30 NAGLE_REQ=400 DELAY_NAGLE_US=2000" nagle-delayed-ack
run "NAGLE_N=30 NAGLE_REQ=400 DELAY_NAGLE_US=2000" nagle-off
ls -l "$out"
