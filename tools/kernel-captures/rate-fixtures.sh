#!/usr/bin/env bash
# The fixtures of tests/fixtures/rate: one slow transfer per limit, made with make-captures.sh, cut to
# the headers (editcap -s) so each stays a few hundred KB, with each scenario's meta file (the
# kernel's tcp_info chrono counters of both ends). Run from the repository root, as root:
#   sudo tools/kernel-captures/rate-fixtures.sh
#   sudo ONLY="slow-sndbuf slow-cable" tools/kernel-captures/rate-fixtures.sh   # some of them
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${OUT:-$here/out/rate}
dest=${DEST:-tests/fixtures/rate}
snap=${SNAPLEN:-96}
only=${ONLY:-}
mkdir -p "$out" "$dest"
wanted() { [ -z "$only" ] || [[ " $only " == *" $1 "* ]]; }
run() { # run "ENV=..." SCENARIO
  wanted "$2" || return 0
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
# a sender with SO_SNDBUF 16384 behind its own 50 Mbit/s interface (a token bucket on its eth0, as a
# real NIC's queue: the data it wrote leaves at the link's pace while it waits for room), 3 MB over
# a 50 ms RTT: its buffer, not the path, holds the flight
SLOW_TBF_AT="cli eth0" SLOW_TBF="rate 50mbit burst 3028 limit 1000000" \
  run "SLOW_BYTES=3000000 SLOW_SNDBUF=16384 DELAY_SLOW_US=25000" slow-sndbuf
# a slow "cable": 2 Mbit/s (a token bucket at the far end, its queue of 400 kB long enough for the
# whole flight, so nothing is dropped and the round trip grows as it fills), 1 MB over 20 ms
run "SLOW_BYTES=1000000 SLOW_CABLE_RATE=2mbit SLOW_CABLE_QUEUE=400000 DELAY_SLOW_US=10000" slow-cable
# 64 KB written every 700 ms (idle longer than the RTO): the kernel restarts slow start after each
# idle (tcp_slow_start_after_idle=1, the default); the control keeps its window (=0)
run "DELAY_SLOW_US=10000" idle-burst
run "DELAY_SLOW_US=10000" idle-burst-off
# a request written in two send() calls without TCP_NODELAY, against delayed ACKs; and the control
run "NAGLE_N=20" nagle-delayed-ack
run "NAGLE_N=20" nagle-off
for scen in slow-rwnd slow-paced slow-app slow-loss slow-sndbuf slow-cable idle-burst idle-burst-off nagle-delayed-ack nagle-off; do
  wanted "$scen" || continue
  editcap -s "$snap" "$out/$scen.node-eth0.pcap" "$dest/$scen.node-eth0.pcap"
  cp "$out/$scen.meta.json" "$dest/$scen.meta.json"
done
# the same transfers seen at the receiver, a round trip away from the sender
for scen in slow-rwnd slow-paced slow-app slow-sndbuf slow-cable slow-loss idle-burst idle-burst-off; do
  wanted "$scen" || continue
  editcap -s "$snap" "$out/$scen.server-eth0.pcap" "$dest/$scen.server-eth0.pcap"
done
ls -l "$dest"
