#!/usr/bin/env bash
# The fixtures of tests/fixtures/rate: one slow transfer per limit, made with make-captures.sh, cut to
# the headers (editcap -s) so each stays a few hundred KB, with each scenario's meta file (the
# kernel's tcp_info chrono counters of both ends). Run from the repository root, as root:
#   sudo tools/kernel-captures/rate-fixtures.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/out/rate}
dest=${DEST:-tests/fixtures/rate}
snap=${SNAPLEN:-96}
mkdir -p "$out" "$dest"
run() { # run "ENV=..." SCENARIO
  env $1 "$here/make-captures.sh" --out "$out" --only "$2"
}
# a receiver with a small SO_RCVBUF (its window caps the flight): 1 MB over a 20 ms RTT
run "SLOW_BYTES=1000000 SLOW_RCVBUF=16384 DELAY_SLOW_US=10000" slow-rwnd
# a sender paced at 250 kB/s (SO_MAX_PACING_RATE, 2 Mbit/s): 1 MB
run "SLOW_BYTES=1000000 SLOW_PACING_BPS=250000 DELAY_SLOW_US=10000" slow-paced
# an application writing 16 KB every 100 ms: 600 KB
run "SLOW_APP_BYTES=600000 SLOW_APP_CHUNK=16384 SLOW_APP_GAP_MS=100 DELAY_SLOW_US=10000" slow-app
# random loss of 2 % of the client's data segments in the node (nftables): 1 MB
run "SLOW_BYTES=1000000 SLOW_LOSS_PERMILLE=20 DELAY_SLOW_US=10000" slow-loss
# 64 KB written every 700 ms (idle longer than the RTO): the kernel restarts slow start after each
# idle (tcp_slow_start_after_idle=1, the default); the control keeps its window (=0)
run "DELAY_SLOW_US=10000" idle-burst
run "DELAY_SLOW_US=10000" idle-burst-off
# a request written in two send() calls without TCP_NODELAY, against delayed ACKs; and the control
run "NAGLE_N=20" nagle-delayed-ack
run "NAGLE_N=20" nagle-off
for scen in slow-rwnd slow-paced slow-app slow-loss idle-burst idle-burst-off nagle-delayed-ack nagle-off; do
  editcap -s "$snap" "$out/$scen.node-eth0.pcap" "$dest/$scen.node-eth0.pcap"
  cp "$out/$scen.meta.json" "$dest/$scen.meta.json"
done
# the same transfers seen at the receiver, a round trip away from the sender
for scen in slow-rwnd slow-paced slow-app; do
  editcap -s "$snap" "$out/$scen.server-eth0.pcap" "$dest/$scen.server-eth0.pcap"
done
ls -l "$dest"
