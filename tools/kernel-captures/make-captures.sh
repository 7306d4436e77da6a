#!/bin/bash
# make-captures.sh - build a corpus of REAL TCP captures (Linux kernel TCP
# stack + tcpdump) inside private network namespaces, plus a tshark oracle
# (<file>.tshark.tsv) for every capture and a README with ground truth.
#
# Usage:
#   sudo ./make-captures.sh                 # every scenario -> ./out
#   sudo ./make-captures.sh --out DIR --only "pmtu-blackhole clean-bulk"
#   sudo ./make-captures.sh --oracle-only   # only redo *.tshark.tsv + README
# Every parameter in the "parameters" block below can also be given as an
# environment variable, e.g.
#   TUN_MTU=1450 LOSS_PERMILLE=25 OUT=/tmp/x ./make-captures.sh
# The main ones: TUN_MTU / V6_TUN_MTU (path MTU of the black-hole link),
# SMALL_N / SMALL_SIZES / BIG_CHUNKS / PREFIX_SEPARATE (RPC pattern),
# USER_TIMEOUT_MS / SERVER_IDLE_S (how the broken connection ends),
# LOSS_PERMILLE / ACK_LOSS_PERMILLE / BULK_BYTES / PACING_BPS (bulk cases),
# DELAY_*_US (one-way delay per scenario, 0 = none), ZW_* (zero window),
# MANY_CONNS / MANY_CONC, ENCAPS (ipip vxlan gre vlan), SCENARIOS, NET4/NET6.
#
# Scenarios: pmtu-blackhole pmtu-ok pmtu-blackhole-v6 pmtu-ok-v6
#   random-loss-sack random-loss-sack-v6 clean-bulk clean-bulk-v6
#   zero-window rst-and-refused many-streams
#   with --only: slow-rwnd slow-sndbuf slow-app slow-paced slow-cable slow-loss idle-burst idle-burst-off nagle-delayed-ack nagle-off
#   dns-timeout dns-ndots dns-clean idle-reset idle-drop syn-drop
#   syn-drop-range paws-nat asym-synack asym-mac (conn-failures.sh: SYNR_*, PAWS_*, ASYM_*)
#   idle-conntrack idle-keepalive foreign-reset foreign-reset-v6 foreign-reset-varied untranslated-syn untranslated-data
#   the kinds users send (with --only, or KINDS=1 for all five):
#   stall-at-end spurious-rto blackhole-wide capture-gaps offload-copies
#   (their parameters: STALL_*, SPUR_* with the wire's delay spike, WIDE_*, GAPS_*, OFFLOAD_*)
# Re-runnable and idempotent: each scenario first deletes its own old files
# ("<scenario>.*") in the output folder, then captures anew; the tshark
# oracles, README.md and ground-truth.json are rebuilt from what is there.
# Needs root (network namespaces); installs missing Debian packages itself.
#
# Safety rules this script follows:
#   * only namespaces it creates itself (named $NS_PREFIX-*), deleted on exit
#   * only addresses from 198.18.0.0/15 (and the IPv6 benchmarking prefix
#     2001:2::/48) inside them; no traffic leaves the namespaces
#   * every traffic generator is bounded in count and time and exits alone
#   * it only ever kills processes it started, by PID
#
# Topology (4 namespaces, veth links, all real kernel forwarding):
#
#   cli ----------- node ============= far ------[wan]------ srv
#   eth0      eth0      tunl0    tunl0     eth1   w0   w1    eth0
#   .1.2      .1.1      .2.1     .2.2      .3.1              .3.2
#   MTU 1500  1500      TUN_MTU  TUN_MTU   1500              1500
#
#   wan  = optional "long cable" (wire.py): copies frames unchanged between
#          w0 and w1 after a fixed one-way delay (the kernel has no netem);
#          without it far eth1 and srv eth0 are one veth pair
#
#   cli  = the frontend (sender of requests / bulk data)
#   node = the forwarding node; its "tunl0" is a veth with the tunnel's MTU
#          (the kernel here has no ipip module), it drops ICMP
#          frag-needed / Packet-Too-Big in its OUTPUT hook (black hole) and
#          applies random loss in its FORWARD hook (loss scenarios)
#   far  = the far end of the "tunnel" (the pod's node)
#   srv  = the server (pod); its own MTU is 1500, so it advertises MSS 1460
#   Capture point A = node eth0 (client-facing), point B = srv eth0.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3            # Debian's python (has python3-scapy)

# ------------------------------------------------------------ parameters
PROFILE=main
ONLY=""
ORACLE_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    --oracle-only) ORACLE_ONLY=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

# Parameters (each can be overridden from the environment):
  : "${OUT:=$HERE/out}"
  : "${NET4:=198.18}"
  : "${NET6:=2001:2:0:0}"        # 2001:2:0:{1,2,3}::x
  : "${TUN_MTU:=1440}"
  : "${V6_TUN_MTU:=1280}"
  : "${SMALL_N:=3}"
  : "${SMALL_SIZES:=53,180,96}"
  : "${BIG_CHUNKS:=1398,1307}"   # the sizes of the original case
  : "${PREFIX_SEPARATE:=1}"      # 4-byte length prefix in its own segment
  : "${RPC_PORT:=9090}"
  : "${USER_TIMEOUT_MS:=20000}"
  : "${SERVER_IDLE_S:=25}"
  : "${LOSS_PERMILLE:=15}"       # 1.5 % data loss
  : "${ACK_LOSS_PERMILLE:=0}"
  : "${BULK_BYTES:=1500000}"
  : "${V6_BULK_BYTES:=1000000}"
  : "${PACING_BPS:=10000000}"    # bulk sender's SO_MAX_PACING_RATE, bytes/s
  : "${DELAY_PMTU_US:=1000}"     # one-way delay far<->srv (0 = no wire)
  : "${DELAY_BULK_US:=5000}"
  : "${DELAY_ZW_US:=2000}"
  : "${DELAY_RST_US:=1000}"
  : "${DELAY_MANY_US:=500}"
  : "${BULK_PORT:=5001}"
  : "${ZW_RCVBUF:=4096}"
  : "${ZW_BYTES:=300000}"
  : "${ZW_PAUSES:=20000:3,150000:3}"
  : "${MANY_CONNS:=2000}"
  : "${MANY_CONC:=4}"
  : "${SCENARIOS:=pmtu-blackhole pmtu-ok random-loss-sack clean-bulk zero-window rst-and-refused many-streams clean-bulk-v6 random-loss-sack-v6}"
  : "${ENCAPS:=ipip vxlan}"
  : "${VNI:=4096}"
  : "${DELAY_SLOW_US:=10000}"; : "${SLOW_RCVBUF:=32768}"; : "${SLOW_SNDBUF:=16384}"; : "${SLOW_BYTES:=3000000}"
  : "${SLOW_APP_BYTES:=1200000}"; : "${SLOW_APP_CHUNK:=16384}"; : "${SLOW_APP_GAP_MS:=40}"; : "${SLOW_PACING_BPS:=2000000}"
  : "${SLOW_CABLE_RATE:=2mbit}"; : "${SLOW_CABLE_QUEUE:=400000}"; : "${SLOW_LOSS_PERMILLE:=20}"; : "${IDLE_BURST_BYTES:=393216}"; : "${IDLE_BURST_GAP_MS:=700}"
  : "${DELAY_NAGLE_US:=500}"; : "${NAGLE_N:=20}"; : "${NAGLE_REQ:=200}"; : "${NAGLE_RESP:=300}"; : "${NAGLE_GAP_MS:=50}"
  : "${DELAY_DNS_US:=1000}"; : "${DNS_TIMEOUT:=5}"; : "${DNS_DROP_EVERY:=4}"; : "${DNS_ROUNDS:=2}"; : "${DNS_GAP_MS:=200}"; : "${DNS_SERVE_S:=40}"
  : "${DNS_NAMES:=api.example.com,db.internal.example}"; : "${DNS_SEARCH:=default.svc.cluster.local svc.cluster.local cluster.local}"
  : "${DNS_ZONE:=api.example.com=198.18.3.2,db.internal.example=198.18.3.2}"
  : "${IDLE_CT_S:=5}"; : "${IDLE_KA_S:=8}"; : "${FR_GAP_S:=0.3}"; : "${FR_REQUESTS:=8}"; : "${FR_AFTER_S:=1.2}"; : "${FR_REWRITE_TTL:=50}"
  : "${UT_GAP_S:=0.5}"; : "${UT_AFTER_S:=0.8}"; : "${UT_CONNECT_S:=5}"; : "${UT_USER_TIMEOUT_MS:=6000}"
  : "${DELAY_IDLE_US:=1000}"; : "${IDLE_S:=10}"; : "${IDLE_USER_TIMEOUT_MS:=8000}"; : "${SYN_CONNS:=30}"; : "${SYN_DROP_EVERY:=5}"
  # the kinds users send: a stall still in progress at capture end, a spurious RTO (delay spike),
  # a black hole with a wide bracket, a capture that missed packets, TSO/GSO super-segments
  : "${DELAY_STALL_US:=1000}"; : "${STALL_REQUESTS:=5}"; : "${STALL_REQ_SIZE:=200}"; : "${STALL_CAPTURE_S:=10}"; : "${STALL_WAIT_S:=14}"
  : "${DELAY_SPUR_US:=5000}"; : "${SPUR_BYTES:=160000}"; : "${SPUR_PACING_BPS:=80000}"; : "${SPUR_STALL_AFTER:=50}"; : "${SPUR_STALL_MS:=1500}"
  : "${WIDE_TUN_MTU:=1280}"; : "${WIDE_SMALL_SIZES:=500,480,520}"; : "${WIDE_USER_TIMEOUT_MS:=12000}"; : "${WIDE_SERVER_IDLE_S:=16}"
  : "${GAPS_BYTES:=200000}"; : "${GAPS_IPID_MASK:=0x1f}"; : "${GAPS_IPID_VALUE:=17}"
  : "${OFFLOAD_BYTES:=100000}"
  : "${KINDS:=0}"
[ "$KINDS" = 1 ] && SCENARIOS="stall-at-end spurious-rto blackhole-wide capture-gaps offload-copies"
[ -n "$ONLY" ] && SCENARIOS="$ONLY"
: "${NS_PREFIX:=pcg$$}"
: "${SETTLE_S:=2}"               # let IPv6 MLD chatter finish before capturing

# addresses (v4 / v6) of every interface
C4=$NET4.1.2; N4A=$NET4.1.1; N4B=$NET4.2.1; F4A=$NET4.2.2; F4B=$NET4.3.1; S4=$NET4.3.2
# NET6 is the first 4 groups; subnet k becomes group 4 "k" (main) or "<last>k"
v6() { # v6 SUBNET HOST  ->  e.g. 2001:2:0:1::2 (NET6=2001:2:0:0) / 2001:2:0:11::2 (NET6=2001:2:0:1)
  local base=${NET6%:*} last=${NET6##*:}
  if [ "$last" = 0 ]; then echo "$base:$1::$2"; else echo "$base:$last$1::$2"; fi
}
C6=$(v6 1 2); N6A=$(v6 1 1); N6B=$(v6 2 1); F6A=$(v6 2 2); F6B=$(v6 3 1); S6=$(v6 3 2)

TSHARK_FIELDS="frame.number frame.time_epoch frame.len frame.interface_name sll.ifindex sll.pkttype
ip.src ipv6.src ip.dst ipv6.dst ip.proto ipv6.nxt ip.len ipv6.plen ip.id ip.flags.df ip.ttl
icmp.type icmp.code icmp.mtu icmpv6.type icmpv6.code icmpv6.mtu vxlan.vni gre.proto vlan.id
tcp.stream tcp.srcport tcp.dstport tcp.seq tcp.seq_raw tcp.nxtseq tcp.len tcp.ack tcp.ack_raw
tcp.flags tcp.flags.str tcp.window_size tcp.window_size_value tcp.checksum tcp.options.mss_val
tcp.options.wscale.shift tcp.options.timestamp.tsval tcp.options.timestamp.tsecr
tcp.options.sack_le tcp.options.sack_re
tcp.analysis.retransmission tcp.analysis.fast_retransmission tcp.analysis.spurious_retransmission
tcp.analysis.out_of_order tcp.analysis.lost_segment tcp.analysis.ack_lost_segment
tcp.analysis.duplicate_ack tcp.analysis.duplicate_ack_num tcp.analysis.duplicate_ack_frame
tcp.analysis.zero_window tcp.analysis.window_full tcp.analysis.window_update
tcp.analysis.keep_alive tcp.analysis.keep_alive_ack tcp.analysis.zero_window_probe
tcp.analysis.zero_window_probe_ack tcp.analysis.reused_ports tcp.analysis.acks_frame
tcp.analysis.ack_rtt tcp.analysis.bytes_in_flight _ws.col.Info"

# ------------------------------------------------------------ helpers
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ensure_tools() {
  # install what is missing (Debian 12 package names)
  local need=()
  command -v tcpdump >/dev/null || need+=(tcpdump)
  command -v tshark  >/dev/null || need+=(tshark)
  command -v editcap >/dev/null || need+=(wireshark-common)
  command -v dumpcap >/dev/null || need+=(wireshark-common)
  command -v nft     >/dev/null || need+=(nftables)
  command -v ethtool >/dev/null || need+=(ethtool)
  command -v ip      >/dev/null || need+=(iproute2)
  command -v gzip    >/dev/null || need+=(gzip)
  [ -x "$PY" ] || need+=(python3)
  "$PY" -c 'import scapy' 2>/dev/null || need+=(python3-scapy)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

NS_CREATED=()
BG_PIDS=()
ns()  { echo "$NS_PREFIX-$1"; }
nsx() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }

# forget a PID once we have reaped it, so cleanup never signals a PID that
# the system may have handed to somebody else meanwhile
forget_pid() {
  local keep=() p
  for p in "${BG_PIDS[@]:-}"; do [ -n "$p" ] && [ "$p" != "$1" ] && keep+=("$p"); done
  BG_PIDS=("${keep[@]:-}")
}

cleanup() {
  local p n
  for p in "${BG_PIDS[@]:-}"; do
    [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${BG_PIDS[@]:-}"; do
    [ -n "$p" ] && wait "$p" 2>/dev/null || true
  done
  BG_PIDS=()
  for n in "${NS_CREATED[@]:-}"; do
    [ -n "$n" ] && ip netns del "$n" 2>/dev/null || true
  done
  NS_CREATED=()
  for n in "${NETNS_ETC[@]:-}"; do
    [ -n "$n" ] && rm -rf "$n"
  done
  NETNS_ETC=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mac() { printf '02:00:%02x:%02x:%02x:%02x\n' "${NET4%%.*}" "${NET4##*.}" "$1" "$2"; }

# veth NS1 IF1 NS2 IF2 SUBNET HOST1 HOST2 MTU: a veth pair, MACs from
# (subnet, host), no offloads, up. No addresses.
veth() {
  local n1=$1 i1=$2 n2=$3 i2=$4 sub=$5 h1=$6 h2=$7 mtu=$8
  ip -n "$(ns "$n1")" link add "$i1" address "$(mac "$sub" "$h1")" type veth \
     peer name "$i2" address "$(mac "$sub" "$h2")" netns "$(ns "$n2")"
  local n i
  for n in "$n1:$i1" "$n2:$i2"; do
    i=${n#*:}; n=${n%%:*}
    ip -n "$(ns "$n")" link set "$i" mtu "$mtu"
    # no offloads: every packet on the wire is a real MTU-sized segment with
    # a correct checksum, as on a physical NIC without TSO/GRO
    nsx "$n" ethtool -K "$i" tx off tso off gso off gro off >/dev/null 2>&1 || true
    ip -n "$(ns "$n")" link set "$i" up
  done
}
# ifaddr NS IF SUBNET HOST: IPv4 (and IPv6) address of host (subnet, host)
ifaddr() {
  ip -n "$(ns "$1")" addr add "$NET4.$3.$4/24" dev "$2"
  [ "$V6ON" = 1 ] && ip -n "$(ns "$1")" -6 addr add "$(v6 "$3" "$4")/64" dev "$2" nodad
  return 0
}
# neigh NS IF SUBNET HOST: static neighbour entry (no ARP/ND chatter)
neigh() {
  ip -n "$(ns "$1")" neigh replace "$NET4.$3.$4" lladdr "$(mac "$3" "$4")" dev "$2" nud permanent
  [ "$V6ON" = 1 ] && ip -n "$(ns "$1")" -6 neigh replace "$(v6 "$3" "$4")" lladdr "$(mac "$3" "$4")" dev "$2" nud permanent
  return 0
}
# link NS1 IF1 NS2 IF2 SUBNET HOST1 HOST2 MTU: a routed point-to-point link
link() {
  veth "$@"
  ifaddr "$1" "$2" "$5" "$6"; ifaddr "$3" "$4" "$5" "$7"
  neigh "$1" "$2" "$5" "$7";  neigh "$3" "$4" "$5" "$6"
}

nsinit() { # create namespace $1 with sane, quiet defaults
  local n=$1
  ip netns add "$(ns $n)"; NS_CREATED+=("$(ns $n)")
  ip -n "$(ns $n)" link set lo up
  if [ "$V6ON" = 1 ] && [ "$n" != wan ]; then
    nsx $n sysctl -qw net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.dad_transmits=0 \
      net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.default.accept_ra=0 \
      net.ipv6.conf.default.mldv2_unsolicited_report_interval=10 \
      net.ipv6.conf.default.mldv1_unsolicited_report_interval=10 \
      net.ipv6.conf.all.accept_ra=0
  else
    nsx $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  fi
}

# topo_up V6ON TUN_MTU DROP_ICMP LOSS_PERMILLE ACK_LOSS_PERMILLE DELAY_US
# DELAY_US > 0 puts a "long cable" (wire.py in namespace wan) between far
# and srv that delays every frame by DELAY_US in each direction.
WIRE_PID=""
WIRE_ARGS=""                     # extra wire.py arguments (a delay spike: --stall-after/--stall-ms)
topo_up() {
  V6ON=$1; local tmtu=$2 dropicmp=$3 loss=$4 ackloss=$5 delay=${6:-0} n
  for n in cli node far srv; do nsinit $n; done
  link cli eth0 node eth0 1 2 1 1500
  link node tunl0 far tunl0 2 1 2 "$tmtu"
  if [ "$delay" -gt 0 ]; then
    nsinit wan
    veth far eth1 wan w0 3 1 101 1500
    veth wan w1 srv eth0 3 102 2 1500
    ifaddr far eth1 3 1; ifaddr srv eth0 3 2
    neigh far eth1 3 2;  neigh srv eth0 3 1
    # shellcheck disable=SC2086
    ip netns exec "$(ns wan)" "$PY" "$HERE/wire.py" --a w0 --b w1 --delay-us "$delay" \
       --limit 170 $WIRE_ARGS >"$WORK/wire.json" 2>&1 &
    WIRE_PID=$!; BG_PIDS+=("$WIRE_PID")
    local i
    for i in $(seq 100); do grep -q wire-up "$WORK/wire.json" 2>/dev/null && break; sleep 0.05; done
  else
    link far eth1 srv eth0 3 1 2 1500
  fi
  ip -n "$(ns cli)" route add default via "$N4A"
  ip -n "$(ns srv)" route add default via "$F4B"
  ip -n "$(ns node)" route add "$NET4.3.0/24" via "$F4A"
  ip -n "$(ns far)"  route add "$NET4.1.0/24" via "$N4B"
  if [ "$V6ON" = 1 ]; then
    ip -n "$(ns cli)" -6 route add default via "$N6A"
    ip -n "$(ns srv)" -6 route add default via "$F6B"
    ip -n "$(ns node)" -6 route add "$(v6 3 0)/64" via "$F6A"
    ip -n "$(ns far)"  -6 route add "$(v6 1 0)/64" via "$N6B"
    nsx node sysctl -qw net.ipv6.conf.all.forwarding=1
    nsx far  sysctl -qw net.ipv6.conf.all.forwarding=1
  fi
  nsx node sysctl -qw net.ipv4.ip_forward=1
  nsx far  sysctl -qw net.ipv4.ip_forward=1
  # Linux defaults, stated explicitly: PMTU discovery on (DF set), no
  # MTU probing, SACK + timestamps + window scaling on.
  # Stock Linux/Debian TCP settings, set explicitly so that the host's own
  # choices (e.g. a BBR default, larger buffers) do not leak in. CUBIC is
  # chosen per socket by tcpapp.py (TCP_CONGESTION), because a child
  # namespace may only pick a default from tcp_allowed_congestion_control.
  for n in cli srv; do
    nsx $n sysctl -qw net.ipv4.ip_no_pmtu_disc=0 net.ipv4.tcp_mtu_probing=0 \
      net.ipv4.tcp_sack=1 net.ipv4.tcp_timestamps=1 net.ipv4.tcp_window_scaling=1 \
      net.ipv4.tcp_ecn=2 \
      net.ipv4.tcp_rmem="4096 131072 6291456" net.ipv4.tcp_wmem="4096 16384 4194304" \
      net.ipv4.tcp_retries2=15 net.ipv4.tcp_syn_retries=6 \
      net.ipv4.tcp_slow_start_after_idle="${SSAI:-1}"
  done
  # netfilter rules in the forwarding node
  {
    echo "table inet pcg {"
    echo " chain c_forward { type filter hook forward priority 0; policy accept;"
    [ "$loss" -gt 0 ] && echo "  meta l4proto tcp ip saddr $C4 meta length > 200 numgen random mod 1000 < $loss counter drop" \
                      && echo "  meta l4proto tcp ip6 saddr $C6 meta length > 200 numgen random mod 1000 < $loss counter drop"
    [ "$ackloss" -gt 0 ] && echo "  meta l4proto tcp ip saddr $S4 numgen random mod 1000 < $ackloss counter drop" \
                         && echo "  meta l4proto tcp ip6 saddr $S6 numgen random mod 1000 < $ackloss counter drop"
    echo " }"
    echo " chain c_output { type filter hook output priority 0; policy accept;"
    if [ "$dropicmp" = 1 ]; then
      echo "  icmp type destination-unreachable icmp code frag-needed counter drop"
      echo "  icmpv6 type packet-too-big counter drop"
    fi
    echo " }"
    echo "}"
  } | nsx node nft -f -
  [ "$V6ON" = 1 ] && sleep "$SETTLE_S"
  return 0
}

# stop the wire (if any) and make sure it neither dropped nor failed to send
WIRE_RESULT='{}'
wire_stop() {
  WIRE_RESULT='{}'
  [ -n "$WIRE_PID" ] || return 0
  kill -TERM "$WIRE_PID" 2>/dev/null || true
  wait "$WIRE_PID" 2>/dev/null || true
  forget_pid "$WIRE_PID"; WIRE_PID=""
  local last; last=$(grep wire-done "$WORK/wire.json" || true)
  [ -n "$last" ] || die "wire did not report: $(cat "$WORK/wire.json")"
  echo "$last" | "$PY" -c 'import sys,json; d=json.load(sys.stdin); bad=d["send_errors"] or any(v.get("drops") for v in d["socket_stats"].values()); sys.exit(1 if bad else 0)' \
    || die "wire lost frames: $last"
  WIRE_RESULT=$last
}

topo_down() { cleanup; }

# the kernel's TCP counters of a namespace (nstat, absolute, history untouched) as one JSON object:
# the namespaces are new, so these are the counters of this scenario alone
nstat_json() {
  nsx "$1" nstat -asz 2>/dev/null | "$PY" -c '
import sys, json
keep = ("TcpRetransSegs", "TcpOutSegs", "TcpInSegs", "TcpExtTCPTimeouts", "TcpExtTCPSpuriousRTOs",
        "TcpExtTCPDSACKRecv", "TcpExtTCPDSACKOldSent", "TcpExtTCPDSACKUndo", "TcpExtTCPLossUndo",
        "TcpExtTCPSackRecovery", "TcpExtTCPLostRetransmit", "TcpExtTCPFastRetrans",
        "TcpExtTCPSlowStartRetrans", "TcpExtTCPLossProbes", "TcpExtTCPLossProbeRecovery",
        "TcpExtTCPDSACKRecvSegs", "TcpExtTCPSpuriousRtxHostQueues", "TcpExtTCPOFOQueue")
d = {}
for l in sys.stdin:
    f = l.split()
    if len(f) >= 2 and f[0] in keep:
        d[f[0]] = int(f[1])
print(json.dumps(d, sort_keys=True))'
}

# nft rule counters of the node, one "comment-less" line per rule
nft_counters() { nsx node nft list table inet pcg | grep -E 'counter packets' | sed 's/^[[:space:]]*//' || true; }

# cap_start NS IFACE FILE [extra tcpdump args]  (writes FILE, log FILE.log)
CAP_PIDS=()
cap_start() {
  local n=$1 ifc=$2 f=$3; shift 3
  # started directly (not via a shell function) so that $! is tcpdump itself
  # --immediate-mode + -U: every packet reaches the file at once, nothing
  # is left in the kernel ring when tcpdump is stopped
  ip netns exec "$(ns "$n")" tcpdump -i "$ifc" -n -s 0 -B 32768 --immediate-mode -U -Z root \
     "$@" -w "$f" 2>"$f.log" &
  local pid=$!
  CAP_PIDS+=("$pid"); BG_PIDS+=("$pid")
  local i
  for i in $(seq 100); do grep -q "listening on" "$f.log" 2>/dev/null && return 0; sleep 0.05; done
  die "tcpdump on $n/$ifc did not start: $(cat "$f.log")"
}
# dumpcap on two interfaces at once -> native pcapng with 2 interface blocks
dumpcap_start() {
  local n=$1 f=$2; shift 2
  local args=() i
  for i in "$@"; do args+=(-i "$i"); done
  ip netns exec "$(ns "$n")" dumpcap "${args[@]}" -w "$f" 2>"$f.log" &
  local pid=$!
  CAP_PIDS+=("$pid"); BG_PIDS+=("$pid")
  for i in $(seq 100); do grep -q "Capturing on" "$f.log" 2>/dev/null && return 0; sleep 0.05; done
  die "dumpcap on $n did not start: $(cat "$f.log")"
}
cap_stop() {
  sleep 1.5
  local p
  # SIGTERM: background jobs of a script ignore SIGINT; tcpdump and dumpcap
  # flush and close their files on SIGTERM
  for p in "${CAP_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${CAP_PIDS[@]}"; do wait "$p" 2>/dev/null || true; forget_pid "$p"; done
  CAP_PIDS=()
  # a capture that lost packets would fake "missing segments": refuse it
  local l
  for l in "$WORK"/*.log; do
    if grep -qE '^[1-9][0-9]* packets dropped by kernel' "$l"; then die "capture drops in $l"; fi
    if grep -qE 'dropped on interface.*: [0-9]+/[1-9]' "$l"; then die "capture drops in $l"; fi
    if grep -q 'packets captured' "$l"; then
      local c r
      c=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$l")
      r=$(sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter.*/\1/p' "$l")
      [ "$c" = "$r" ] || die "capture $l: $c captured but $r received by filter"
    fi
  done
}

# app NS ARGS...   run tcpapp.py in a namespace (foreground, bounded)
app() { local n=$1; shift; timeout 150 ip netns exec "$(ns "$n")" "$PY" "$HERE/tcpapp.py" "$@"; }
# app_bg NS OUTFILE ARGS...  (background server; waits until it listens)
app_bg() {
  local n=$1 o=$2; shift 2
  ip netns exec "$(ns "$n")" "$PY" "$HERE/tcpapp.py" "$@" >"$o" 2>&1 &
  SRV_PID=$!; BG_PIDS+=("$SRV_PID")
  local i
  for i in $(seq 100); do grep -q listening "$o" 2>/dev/null && return 0; sleep 0.05; done
  die "server did not start: $(cat "$o")"
}
app_wait() { # wait for the background server (it has its own hard limit)
  local i
  for i in $(seq 1200); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$SRV_PID" 2>/dev/null; then kill -TERM "$SRV_PID" 2>/dev/null || true; fi
  wait "$SRV_PID" 2>/dev/null || true
  forget_pid "$SRV_PID"
}

# write SCEN.meta.json from key=value pairs + json files
meta() {
  local scen=$1; shift
  "$PY" - "$OUT/$scen.meta.json" "$@" <<'EOF'
import json, sys
out, items = sys.argv[1], sys.argv[2:]
d = {}
for it in items:
    k, v = it.split("=", 1)
    if v.startswith("@"):
        d[k] = []
        for l in open(v[1:]):
            try:
                d[k].append(json.loads(l))
            except ValueError:
                d[k].append({"text": l.rstrip()})
    else:
        try:
            d[k] = json.loads(v)
        except ValueError:
            d[k] = v
json.dump(d, open(out, "w"), indent=1, sort_keys=True)
EOF
}

place() { # move a finished capture from WORK to OUT under its final name
  cp "$WORK/$1" "$OUT/$2"; chmod 0644 "$OUT/$2"
}

# ------------------------------------------------------------ scenarios
# pmtu: a few small framed RPCs, then one large request. DROP=1: black hole.
scen_pmtu() {
  local scen=$1 drop=$2 fam=$3
  local tmtu=$TUN_MTU srv=$S4 v6on=0
  if [ "$fam" = 6 ]; then tmtu=$V6_TUN_MTU; srv=$S6; v6on=1; fi
  log "$scen: tunnel MTU $tmtu, drop ICMP=$drop"
  topo_up $v6on "$tmtu" "$drop" 0 0 "$DELAY_PMTU_US"
  local extra=0
  [ "$scen" = pmtu-blackhole ] && extra=1
  cap_start node eth0 "$WORK/A.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  if [ $extra = 1 ]; then
    cap_start node eth0 "$WORK/A-nsec.pcap" --time-stamp-precision=nano
    cap_start node any "$WORK/any.pcap"
    dumpcap_start node "$WORK/2if.pcapng" eth0 tunl0
  fi
  app_bg srv "$WORK/server.json" rpc-server --bind "$srv" --port "$RPC_PORT" --conns 1 \
     --idle-timeout "$SERVER_IDLE_S" --limit $((SERVER_IDLE_S + 40))
  app cli rpc-client --connect "$srv" --port "$RPC_PORT" --small "$SMALL_N" \
     --small-sizes "$SMALL_SIZES" --big-chunks "$BIG_CHUNKS" \
     --prefix-separate "$PREFIX_SEPARATE" --user-timeout-ms "$USER_TIMEOUT_MS" \
     --wait-s $((USER_TIMEOUT_MS / 1000 + 10)) --limit $((USER_TIMEOUT_MS / 1000 + 40)) \
     >"$WORK/client.json" 2>&1 || true
  app_wait
  sleep 1
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$(nft_counters | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  local iflist; iflist=$(nsx node ip -j link show | "$PY" -c 'import sys,json; print(json.dumps({l["ifname"]: {"ifindex": l["ifindex"], "mtu": l["mtu"], "mac": l.get("address")} for l in json.load(sys.stdin)}))')
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  if [ $extra = 1 ]; then
    place A-nsec.pcap "$scen.node-eth0.nsec.pcap"
    place any.pcap "$scen.node-any.sll2.pcap"
    place 2if.pcapng "$scen.node-eth0-tunl0.pcapng"
    editcap -F pcapng "$OUT/$scen.node-eth0.pcap" "$OUT/$scen.node-eth0.pcapng"
    "$PY" "$HERE/rewrap.py" be "$OUT/$scen.node-eth0.pcap" "$OUT/$scen.node-eth0.be.pcap"
  fi
  local e
  for e in $ENCAPS; do
    [ "$drop" = 1 ] || continue
    "$PY" "$HERE/rewrap.py" "$e" "$OUT/$scen.node-eth0.pcap" "$OUT/$scen.node-eth0.$e.pcap" \
      --client "$([ "$fam" = 6 ] && echo "$C6" || echo "$C4")" \
      --outer-a "$NET4.100.11" --outer-b "$NET4.100.12" --vni "$VNI"
  done
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_PMTU_US" scenario="$scen" family="$fam" path_mtu="$tmtu" icmp_dropped="$drop" \
    client="$([ "$fam" = 6 ] && echo "$C6" || echo "$C4")" server="$srv" port="$RPC_PORT" \
    small_n="$SMALL_N" small_sizes="\"$SMALL_SIZES\"" big_chunks="\"$BIG_CHUNKS\"" \
    prefix_separate="$PREFIX_SEPARATE" user_timeout_ms="$USER_TIMEOUT_MS" \
    server_idle_s="$SERVER_IDLE_S" node_nft_counters="$counters" node_links="$iflist" \
    client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# bulk: one-way transfer client -> server, optional random loss in node
scen_bulk() {
  local scen=$1 fam=$2 loss=$3 ackloss=$4 bytes=$5 formats=$6
  local srv=$S4 v6on=0
  if [ "$fam" = 6 ]; then srv=$S6; v6on=1; fi
  log "$scen: $bytes bytes, loss ${loss}/1000 data, ${ackloss}/1000 reverse"
  topo_up $v6on 1500 0 "$loss" "$ackloss" "$DELAY_BULK_US"
  cap_start node eth0 "$WORK/A.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  [ "$formats" = 1 ] && cap_start node eth0 "$WORK/A-nsec.pcap" --time-stamp-precision=nano
  app_bg srv "$WORK/server.json" bulk-server --bind "$srv" --port "$BULK_PORT" --limit 60
  app cli bulk-client --connect "$srv" --port "$BULK_PORT" --bytes "$bytes" \
     --pacing-rate "$PACING_BPS" --limit 60 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$(nft_counters | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  if [ "$formats" = 1 ]; then
    place A-nsec.pcap "$scen.node-eth0.nsec.pcap"
    editcap -F pcapng "$OUT/$scen.node-eth0.pcap" "$OUT/$scen.node-eth0.pcapng"
    gzip -9 -n -c "$OUT/$scen.node-eth0.pcap" >"$OUT/$scen.node-eth0.pcap.gz"
  fi
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_BULK_US" scenario="$scen" family="$fam" path_mtu=1500 \
    client="$([ "$fam" = 6 ] && echo "$C6" || echo "$C4")" server="$srv" port="$BULK_PORT" \
    bytes="$bytes" loss_permille="$loss" reverse_loss_permille="$ackloss" \
    pacing_bytes_per_s="$PACING_BPS" node_nft_counters="$counters" \
    client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

scen_zero_window() {
  local scen=zero-window
  log "$scen: rcvbuf $ZW_RCVBUF, pauses $ZW_PAUSES"
  topo_up 0 1500 0 0 0 "$DELAY_ZW_US"
  cap_start node eth0 "$WORK/A.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  app_bg srv "$WORK/server.json" bulk-server --bind "$S4" --port "$BULK_PORT" \
     --rcvbuf "$ZW_RCVBUF" --pauses "$ZW_PAUSES" --read-size 4096 --read-delay-ms 2 --limit 90
  app cli bulk-client --connect "$S4" --port "$BULK_PORT" --bytes "$ZW_BYTES" \
     --limit 90 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_ZW_US" scenario="$scen" family=4 client="$C4" server="$S4" port="$BULK_PORT" \
    bytes="$ZW_BYTES" server_rcvbuf="$ZW_RCVBUF" pauses="\"$ZW_PAUSES\"" \
    client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

scen_rst() {
  local scen=rst-and-refused
  log "$scen"
  topo_up 0 1500 0 0 0 "$DELAY_RST_US"
  cap_start node eth0 "$WORK/A.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  app_bg srv "$WORK/server.json" rst-server --bind "$S4" --port "$RPC_PORT" --limit 30
  app cli rst-client --connect "$S4" --port "$RPC_PORT" --closed-port $((RPC_PORT + 1)) \
     --limit 30 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_RST_US" scenario="$scen" family=4 client="$C4" server="$S4" port="$RPC_PORT" \
    closed_port=$((RPC_PORT + 1)) client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

scen_many() {
  local scen=many-streams
  log "$scen: $MANY_CONNS connections, $MANY_CONC at a time"
  topo_up 0 1500 0 0 0 "$DELAY_MANY_US"
  cap_start node eth0 "$WORK/A.pcap"
  app_bg srv "$WORK/server.json" many-server --bind "$S4" --port "$RPC_PORT" \
     --conns "$MANY_CONNS" --limit 120
  app cli many-client --connect "$S4" --port "$RPC_PORT" --conns "$MANY_CONNS" \
     --concurrency "$MANY_CONC" --limit 120 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_MANY_US" scenario="$scen" family=4 client="$C4" server="$S4" port="$RPC_PORT" \
    conns="$MANY_CONNS" concurrency="$MANY_CONC" \
    client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# slow: one transfer limited by one thing; the kernel's tcp_info chrono counters at both ends are the
# ground truth (busy, receive-window-limited, send-buffer-limited microseconds).
#   scen_slow NAME DELAY_US "server args" "client args"
scen_slow() {
  local scen=$1 delay=$2 sargs=$3 cargs=$4
  log "$scen: delay ${delay}us, server [$sargs], client [$cargs], loss ${SLOW_LOSS:-0} per mille"
  topo_up 0 1500 0 "${SLOW_LOSS:-0}" 0 "$delay"
  # a slow "cable": a token bucket on the far end's link to the server (the data direction), its
  # queue long enough to hold the sender's whole window (no loss): the bottleneck queues.
  # SLOW_TBF_AT="cli eth0" puts it on the sender's own interface instead.
  local tat; read -r -a tat <<<"${SLOW_TBF_AT:-far eth1}"
  if [ -n "${SLOW_TBF:-}" ]; then
    # shellcheck disable=SC2086
    nsx "${tat[0]}" tc qdisc add dev "${tat[1]}" root tbf $SLOW_TBF
  fi
  cap_start node eth0 "$WORK/A.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  # shellcheck disable=SC2086
  app_bg srv "$WORK/server.json" bulk-server --bind "$S4" --port "$BULK_PORT" --limit 90 $sargs
  # shellcheck disable=SC2086
  app cli bulk-client --connect "$S4" --port "$BULK_PORT" --limit 90 $cargs >"$WORK/client.json" 2>&1 || true
  app_wait
  local tbf='null'
  if [ -n "${SLOW_TBF:-}" ]; then
    tbf=$(nsx "${tat[0]}" tc -s -j qdisc show dev "${tat[1]}" | "$PY" -c 'import sys,json; print(json.dumps([q for q in json.load(sys.stdin) if q.get("kind")=="tbf"][0]))')
  fi
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$delay" scenario="$scen" family=4 client="$C4" server="$S4" port="$BULK_PORT" \
    tbf="$tbf" tbf_args="\"${SLOW_TBF:-}\"" tbf_at="\"${tat[*]}\"" \
    tcp_slow_start_after_idle="${SSAI:-1}" loss_permille="${SLOW_LOSS:-0}" server_args="\"$sargs\"" client_args="\"$cargs\"" client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

scen_nagle() {
  local scen=$1 nodelay=$2
  log "$scen: request in two writes, TCP_NODELAY=$nodelay"
  topo_up 0 1500 0 0 0 "$DELAY_NAGLE_US"
  cap_start node eth0 "$WORK/A.pcap"
  app_bg srv "$WORK/server.json" nagle-server --bind "$S4" --port "$RPC_PORT" --resp-size "$NAGLE_RESP" --limit 60
  app cli nagle-client --connect "$S4" --port "$RPC_PORT" --requests "$NAGLE_N" --req-size "$NAGLE_REQ" \
     --resp-size "$NAGLE_RESP" --gap-ms "$NAGLE_GAP_MS" --nodelay "$nodelay" --limit 60 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_NAGLE_US" scenario="$scen" family=4 client="$C4" server="$S4" port="$RPC_PORT" \
    nodelay="$nodelay" requests="$NAGLE_N" client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# dns: a DNS server in the server namespace; the client resolves through glibc with the namespace's
# own resolv.conf (ip netns exec mounts /etc/netns/NAME/resolv.conf). DROP_EVERY > 0 drops one query
# in DROP_EVERY in the node (a conntrack race losing one of the parallel A/AAAA queries).
#   scen_dns NAME "resolv.conf options line" "search list" DROP_EVERY "names"
NETNS_ETC=()
scen_dns() {
  local scen=$1 opts=$2 search=$3 every=$4 names=$5
  log "$scen: options [$opts], search [$search], drop 1 query in $every, names $names"
  topo_up 0 1500 0 0 0 "$DELAY_DNS_US"
  local etc=/etc/netns/$(ns cli); mkdir -p "$etc"; NETNS_ETC+=("$etc")
  { echo "nameserver $S4"; [ -n "$search" ] && echo "search $search"; echo "options $opts"; } >"$etc/resolv.conf"
  echo "hosts: files dns" >"$etc/nsswitch.conf"
  : >"$etc/hosts"
  [ "$every" -gt 0 ] && nsx node nft add rule inet pcg c_forward udp dport 53 numgen inc mod "$every" == 1 counter drop
  cap_start node eth0 "$WORK/A.pcap"
  app_bg srv "$WORK/server.json" dns-server --bind "$S4" --port 53 --zone "$DNS_ZONE" --serve-s "$DNS_SERVE_S" --limit $((DNS_SERVE_S + 10))
  timeout 120 ip netns exec "$(ns cli)" "$PY" "$HERE/tcpapp.py" dns-client --names "$names" --rounds "$DNS_ROUNDS" \
     --gap-ms "$DNS_GAP_MS" --limit 110 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$(nft_counters | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  topo_down
  rm -rf "$etc"
  place A.pcap "$scen.node-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_DNS_US" scenario="$scen" family=4 client="$C4" server="$S4" port=53 \
    resolv_options="\"$opts\"" search="\"$search\"" drop_one_in="$every" node_nft_counters="$counters" \
    client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# idle: a request, IDLE_S of silence, another request; half-way through the silence the node forgets
# the connection: ACTION=reset answers the next packet with a RST in the server's name (a load balancer
# with TCP reset on), ACTION=drop drops it (one without): the client retransmits until its user timeout.
# ACTION=conntrack: the node's conntrack forgets it by itself (a ct timeout policy of IDLE_CT_S for
# established, no mid-stream pickup) and INVALID packets are rejected with a TCP reset; with IDLE_KA
# the client has SO_KEEPALIVE and TCP_KEEPIDLE IDLE_KA, and its keep-alive probe meets the reset.
scen_idle() {
  local scen=$1 action=$2
  log "$scen: idle ${IDLE_S}s, then the node ${action}s the flow"
  topo_up 0 1500 0 0 0 "$DELAY_IDLE_US"
  local forgotten=$((IDLE_S / 2))
  if [ "$action" = conntrack ]; then
    # conntrack itself forgets the idle connection: established entries of this flow time out after
    # IDLE_CT_S (a ct timeout policy), mid-stream pickup is off (nf_conntrack_tcp_loose=0), so the
    # write after the silence is INVALID, and INVALID packets are rejected with a TCP reset
    forgotten=$IDLE_CT_S
    nsx node sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0
    {
      echo "table inet pcgct {"
      echo " ct timeout idle { protocol tcp; l3proto ip; policy = { established: $IDLE_CT_S }; }"
      echo " chain f { type filter hook forward priority -10; policy accept;"
      echo "  ct state new ip saddr $C4 tcp dport $RPC_PORT ct timeout set \"idle\""
      echo "  ct state invalid ip saddr $C4 tcp dport $RPC_PORT counter reject with tcp reset"
      echo " }"
      echo "}"
    } | nsx node nft -f -
  fi
  cap_start node eth0 "$WORK/A.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  app_bg srv "$WORK/server.json" rpc-server --bind "$S4" --port "$RPC_PORT" --conns 1 \
     --idle-timeout $((IDLE_S + 30)) --limit $((IDLE_S + 40))
  local srvpid=$SRV_PID
  # shellcheck disable=SC2086
  ( app cli idle-client --connect "$S4" --port "$RPC_PORT" --idle-s "$IDLE_S" --user-timeout-ms "$IDLE_USER_TIMEOUT_MS" \
       ${IDLE_KA:+--keepalive-idle $IDLE_KA} --limit $((IDLE_S + 40)) >"$WORK/client.json" 2>&1 || true ) &
  local cpid=$!; BG_PIDS+=("$cpid")
  sleep $((IDLE_S / 2))
  if [ "$action" = conntrack ]; then
    :
  elif [ "$action" = reset ]; then
    nsx node nft add rule inet pcg c_forward ip saddr "$C4" tcp dport "$RPC_PORT" counter reject with tcp reset
  else
    nsx node nft add rule inet pcg c_forward ip saddr "$C4" tcp dport "$RPC_PORT" counter drop
  fi
  wait "$cpid" 2>/dev/null || true; forget_pid "$cpid"
  SRV_PID=$srvpid; kill -TERM "$SRV_PID" 2>/dev/null || true; app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$( (nft_counters; [ "$action" = conntrack ] && nsx node nft list table inet pcgct | grep -E 'counter packets' | sed 's/^[[:space:]]*//') \
    | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_IDLE_US" scenario="$scen" family=4 client="$C4" server="$S4" port="$RPC_PORT" \
    idle_s="$IDLE_S" forgotten_after_s="$forgotten" keepalive_idle_s="${IDLE_KA:-null}" action="\"$action\"" node_nft_counters="$counters" \
    client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# foreign-reset: framed requests every FR_GAP_S; after FR_AFTER_S the node rejects the client's
# packets with a TCP reset (nft `reject with tcp reset` in its forward hook): the client's next
# request is answered by a RST the node sends in the server's name, with the node's own TTL (64)
# where the server's packets reach the capture point with 62 (two forwarding hops).
#   scen_foreign_reset NAME FAMILY(4|6) REWRITE(0|1)
# FAMILY 6: the same over IPv6 (hop limits, no IP ID). REWRITE 1: the node also sets the TTL of
# every other packet of the server to FR_REWRITE_TTL (a path whose TTL varies: weaker evidence).
scen_foreign_reset() {
  local scen=$1 fam=$2 rewrite=$3 srv=$S4 cli=$C4 v6on=0 ipk=ip
  [ "$fam" = 6 ] && { srv=$S6; cli=$C6; v6on=1; ipk=ip6; }
  log "$scen: requests every ${FR_GAP_S}s; after ${FR_AFTER_S}s the node resets the client's packets (IPv$fam, rewrite $rewrite)"
  topo_up $v6on 1500 0 0 0 "$DELAY_IDLE_US"
  if [ "$rewrite" = 1 ]; then
    if [ "$fam" = 6 ]; then
      nsx node nft add rule inet pcg c_forward ip6 saddr "$srv" numgen inc mod 2 == 1 counter ip6 hoplimit set "$FR_REWRITE_TTL"
    else
      nsx node nft add rule inet pcg c_forward ip saddr "$srv" numgen inc mod 2 == 1 counter ip ttl set "$FR_REWRITE_TTL"
    fi
  fi
  cap_start node eth0 "$WORK/A.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  app_bg srv "$WORK/server.json" rpc-server --bind "$srv" --port "$RPC_PORT" --conns 1 --idle-timeout 30 --limit 40
  local srvpid=$SRV_PID gaps
  gaps=$("$PY" -c "print(','.join(['0'] + ['$FR_GAP_S'] * ($FR_REQUESTS - 1)))")
  ( app cli gaps-client --connect "$srv" --port "$RPC_PORT" --gaps "$gaps" --limit 30 >"$WORK/client.json" 2>&1 || true ) &
  local cpid=$!; BG_PIDS+=("$cpid")
  sleep "$FR_AFTER_S"
  nsx node nft add rule inet pcg c_forward $ipk saddr "$cli" tcp dport "$RPC_PORT" counter reject with tcp reset
  wait "$cpid" 2>/dev/null || true; forget_pid "$cpid"
  SRV_PID=$srvpid; kill -TERM "$SRV_PID" 2>/dev/null || true; app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$(nft_counters | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  local ttl; ttl=$(nsx node sysctl -n "$([ "$fam" = 6 ] && echo net.ipv6.conf.all.hop_limit || echo net.ipv4.ip_default_ttl)")
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_IDLE_US" scenario="$scen" family="$fam" client="$cli" server="$srv" port="$RPC_PORT" \
    gap_s="$FR_GAP_S" reset_after_s="$FR_AFTER_S" node_default_ttl="$ttl" server_hops_to_capture=2 \
    ttl_rewritten_to="$([ "$rewrite" = 1 ] && echo "$FR_REWRITE_TTL" || echo null)" \
    rule="\"$ipk saddr $cli tcp dport $RPC_PORT reject with tcp reset\"" node_nft_counters="$counters" \
    client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# untranslated-syn / untranslated-data: the client talks to a service address VIP:80 that the node
# DNATs to the server ($S4:$RPC_PORT); the server's replies skip the node's connection tracking
# (`notrack` in its raw prerouting hook), so the reverse translation never happens and they reach
# the client from the server's own address, which the client answers with a RST (the DNAT that was
# not reversed of kubernetes/kubernetes#74839). syn: the SYN/ACKs from the start (the connect fails);
# data: every reply after UT_AFTER_S (the second request's answers on).
scen_untranslated() {
  local scen=$1 mode=$2 vip=$NET4.9.9
  log "$scen: $vip:80 DNATed to $S4:$RPC_PORT, the replies ($mode) not translated back"
  topo_up 0 1500 0 0 0 "$DELAY_IDLE_US"
  {
    echo "table ip pcgnat {"
    echo " chain pre { type nat hook prerouting priority dstnat; policy accept;"
    echo "  ip daddr $vip tcp dport 80 counter dnat to $S4:$RPC_PORT"
    echo " }"
    echo " chain raw { type filter hook prerouting priority raw; policy accept;"
    [ "$mode" = syn ] && echo "  ip saddr $S4 tcp sport $RPC_PORT tcp flags & (syn|ack) == syn|ack counter notrack"
    echo " }"
    echo "}"
  } | nsx node nft -f -
  cap_start node eth0 "$WORK/A.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  app_bg srv "$WORK/server.json" rpc-server --bind "$S4" --port "$RPC_PORT" --conns 1 --idle-timeout 30 --limit 40
  local srvpid=$SRV_PID
  ( app cli gaps-client --connect "$vip" --port 80 --gaps "0,$UT_GAP_S,$UT_GAP_S" --connect-timeout "$UT_CONNECT_S" \
      --user-timeout-ms "$UT_USER_TIMEOUT_MS" --limit 30 >"$WORK/client.json" 2>&1 || true ) &
  local cpid=$!; BG_PIDS+=("$cpid")
  if [ "$mode" = data ]; then
    sleep "$UT_AFTER_S"
    nsx node nft add rule ip pcgnat raw ip saddr "$S4" tcp sport "$RPC_PORT" counter notrack
  fi
  wait "$cpid" 2>/dev/null || true; forget_pid "$cpid"
  SRV_PID=$srvpid; kill -TERM "$SRV_PID" 2>/dev/null || true; app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$( (nft_counters; nsx node nft list table ip pcgnat | grep -E 'counter packets' | sed 's/^[[:space:]]*//') \
    | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_IDLE_US" scenario="$scen" family=4 client="$C4" vip="$vip" vip_port=80 \
    server="$S4" port="$RPC_PORT" mode="\"$mode\"" untranslated_after_s="$([ "$mode" = data ] && echo "$UT_AFTER_S" || echo 0)" \
    node_nft_counters="$counters" client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# syn-drop: many short connections; the node drops one SYN in SYN_DROP_EVERY (SNAT/conntrack trouble):
# those connections wait for the SYN retransmission timer (1 s, 3 s, ...).
scen_syn_drop() {
  local scen=syn-drop
  log "$scen: $SYN_CONNS connections, 1 SYN in $SYN_DROP_EVERY dropped"
  topo_up 0 1500 0 0 0 "$DELAY_MANY_US"
  nsx node nft add rule inet pcg c_forward ip saddr "$C4" "tcp flags & (syn|ack) == syn" numgen inc mod "$SYN_DROP_EVERY" == 2 counter drop
  cap_start node eth0 "$WORK/A.pcap"
  app_bg srv "$WORK/server.json" many-server --bind "$S4" --port "$RPC_PORT" --conns "$SYN_CONNS" --limit 120
  app cli many-client --connect "$S4" --port "$RPC_PORT" --conns "$SYN_CONNS" --concurrency 2 --limit 120 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$(nft_counters | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  meta "$scen" wire="$wire" scenario="$scen" family=4 client="$C4" server="$S4" port="$RPC_PORT" conns="$SYN_CONNS" \
    syn_drop_one_in="$SYN_DROP_EVERY" node_nft_counters="$counters" client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# ------------------------------------------------------------ the kinds users send
# stall-at-end: framed requests on an established connection; then the node drops everything from
# the client, the client sends one more request and retransmits it with back-off; the capture at the
# node stops STALL_CAPTURE_S after that request, while the client is still retrying. Ground truth:
# the client's tcp_info every 0.5 s (retransmits, backoff, total_retrans), the drop rule's counter.
scen_stall_at_end() {
  local scen=stall-at-end
  log "$scen: $STALL_REQUESTS requests, then the node drops the client; capture stops ${STALL_CAPTURE_S}s later"
  topo_up 0 1500 0 0 0 "$DELAY_STALL_US"
  cap_start node eth0 "$WORK/A.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  # the server's idle timeout ends it after the capture and the client (its FIN is never captured)
  app_bg srv "$WORK/server.json" rpc-server --bind "$S4" --port "$RPC_PORT" --conns 1 \
     --idle-timeout $((STALL_WAIT_S + 5)) --limit $((STALL_WAIT_S + 40))
  local srvpid=$SRV_PID
  ( app cli stall-client --connect "$S4" --port "$RPC_PORT" --requests "$STALL_REQUESTS" \
       --req-size "$STALL_REQ_SIZE" --pause-s 1 --wait-s "$STALL_WAIT_S" --limit $((STALL_WAIT_S + 30)) \
       >"$WORK/client.json" 2>&1 || true ) &
  local cpid=$!; BG_PIDS+=("$cpid")
  local i
  for i in $(seq 400); do grep -q requests-done "$WORK/client.json" 2>/dev/null && break; sleep 0.05; done
  grep -q requests-done "$WORK/client.json" || die "$scen: the client did not finish its requests: $(cat "$WORK/client.json")"
  nsx node nft add rule inet pcg c_forward ip saddr "$C4" counter drop
  for i in $(seq 100); do grep -q stalled-request-sent "$WORK/client.json" 2>/dev/null && break; sleep 0.05; done
  grep -q stalled-request-sent "$WORK/client.json" || die "$scen: the client did not send its last request"
  # cap_stop waits 1.5 s itself before it stops the captures
  sleep "$(awk -v s="$STALL_CAPTURE_S" 'BEGIN { print s - 1.5 }')"
  cap_stop
  local stopped_at; stopped_at=$(date +%s.%N)     # the captures have ended (an upper bound)
  wait "$cpid" 2>/dev/null || true; forget_pid "$cpid"
  SRV_PID=$srvpid; app_wait
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$(nft_counters | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  local nst; nst=$(nstat_json cli)
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_STALL_US" scenario="$scen" family=4 client="$C4" server="$S4" \
    port="$RPC_PORT" requests="$STALL_REQUESTS" capture_after_stall_s="$STALL_CAPTURE_S" \
    capture_stopped_at="$stopped_at" node_nft_counters="$counters" client_nstat="$nst" \
    client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# spurious-rto: a paced bulk transfer; after SPUR_STALL_AFTER data frames the wire holds the client's
# frames for SPUR_STALL_MS (a delay spike, nothing dropped): the sender's RTO fires, its
# retransmissions arrive after the originals and the receiver answers them with D-SACK. Ground
# truth: nstat of both ends (TCPTimeouts, TCPSpuriousRTOs, TCPDSACKRecv / TCPDSACKOldSent), tcp_info,
# the wire's report (frames held, none dropped).
scen_spurious_rto() {
  local scen=spurious-rto
  log "$scen: $SPUR_BYTES bytes at $SPUR_PACING_BPS B/s, the wire stalls ${SPUR_STALL_MS}ms after $SPUR_STALL_AFTER frames"
  WIRE_ARGS="--stall-after $SPUR_STALL_AFTER --stall-ms $SPUR_STALL_MS --stall-dir a2b"
  topo_up 0 1500 0 0 0 "$DELAY_SPUR_US"
  WIRE_ARGS=""
  cap_start node eth0 "$WORK/A.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  app_bg srv "$WORK/server.json" bulk-server --bind "$S4" --port "$BULK_PORT" --limit 60
  app cli bulk-client --connect "$S4" --port "$BULK_PORT" --bytes "$SPUR_BYTES" \
     --pacing-rate "$SPUR_PACING_BPS" --limit 60 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$(nft_counters | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  local nc ns_; nc=$(nstat_json cli); ns_=$(nstat_json srv)
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_SPUR_US" scenario="$scen" family=4 client="$C4" server="$S4" \
    port="$BULK_PORT" bytes="$SPUR_BYTES" pacing_bytes_per_s="$SPUR_PACING_BPS" \
    stall_after_frames="$SPUR_STALL_AFTER" stall_ms="$SPUR_STALL_MS" node_nft_counters="$counters" \
    client_nstat="$nc" server_nstat="$ns_" client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# capture-gaps: a clean bulk transfer captured at the node through a BPF filter that leaves out the
# client's data segments whose IP ID & GAPS_IPID_MASK == GAPS_IPID_VALUE (Linux numbers a connected
# socket's packets one by one, so about one in mask+1): the receiver's ACKs cover data the capture
# never saw. An unfiltered capture at the same point (node-eth0-full) and the server's are the
# ground truth: every segment crossed the node; no drop rule exists; tcp_info/nstat count no
# retransmission.
scen_capture_gaps() {
  local scen=capture-gaps
  local left_out="ip src $C4 and tcp and ip[2:2] > 200 and (ip[4:2] & $GAPS_IPID_MASK) = $GAPS_IPID_VALUE"
  log "$scen: $GAPS_BYTES bytes, the node's capture leaves out [$left_out]"
  topo_up 0 1500 0 0 0 "$DELAY_BULK_US"
  nsx node nft add rule inet pcg c_forward ip saddr "$C4" counter
  cap_start node eth0 "$WORK/A.pcap" "not ($left_out)"
  cap_start node eth0 "$WORK/A-full.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  app_bg srv "$WORK/server.json" bulk-server --bind "$S4" --port "$BULK_PORT" --limit 60
  app cli bulk-client --connect "$S4" --port "$BULK_PORT" --bytes "$GAPS_BYTES" \
     --pacing-rate "$PACING_BPS" --limit 60 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$(nft_counters | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  local nc; nc=$(nstat_json cli)
  topo_down
  local excluded; excluded=$(tcpdump -n -r "$WORK/A-full.pcap" "$left_out" 2>/dev/null | wc -l)
  local total; total=$(tcpdump -n -r "$WORK/A-full.pcap" 2>/dev/null | wc -l)
  local kept; kept=$(tcpdump -n -r "$WORK/A.pcap" 2>/dev/null | wc -l)
  [ $((kept + excluded)) = "$total" ] || die "$scen: $kept captured + $excluded left out != $total in the full capture"
  place A.pcap "$scen.node-eth0.pcap"
  place A-full.pcap "$scen.node-eth0-full.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_BULK_US" scenario="$scen" family=4 client="$C4" server="$S4" \
    port="$BULK_PORT" bytes="$GAPS_BYTES" capture_filter="\"not ($left_out)\"" \
    left_out_of_capture="$excluded" frames_full_capture="$total" frames_filtered_capture="$kept" \
    node_nft_counters="$counters" client_nstat="$nc" client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# offload-copies: a bulk transfer whose sender has TSO/GSO on (the harness turns offloads off
# everywhere else): the node's eth0 receives super-segments of several MSS, which it forwards out of
# tunl0 (no offloads) cut into MTU-sized segments. Captured with `tcpdump -i any` at the node (both
# copies, Linux cooked v2) and on eth0 alone (only the super-segments). Ground truth: no loss rule,
# no retransmission in tcp_info/nstat.
scen_offload_copies() {
  local scen=offload-copies
  log "$scen: $OFFLOAD_BYTES bytes, TSO/GSO on the client"
  topo_up 0 1500 0 0 0 "$DELAY_BULK_US"
  nsx cli ethtool -K eth0 tx on sg on tso on gso on >/dev/null 2>&1 || die "$scen: cannot turn TSO on"
  # libpcap sizes its ring slots by the MTU when the capturing interface has no offload on, which
  # would cut the super-segments at 1530 bytes; GSO on the node's eth0 (it only concerns what eth0
  # sends: the server's ACKs, never GSO packets) makes it keep them whole
  nsx node ethtool -K eth0 sg on gso on >/dev/null 2>&1 || die "$scen: cannot turn GSO on in the node"
  local feats; feats=$(nsx cli ethtool -k eth0 | grep -E '^(tx-checksumming|scatter-gather|tcp-segmentation-offload|generic-segmentation-offload):' | "$PY" -c 'import sys,json; print(json.dumps(dict(l.strip().split(": ",1) for l in sys.stdin)))')
  cap_start node any "$WORK/any.pcap"
  cap_start node eth0 "$WORK/A.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  app_bg srv "$WORK/server.json" bulk-server --bind "$S4" --port "$BULK_PORT" --limit 60
  app cli bulk-client --connect "$S4" --port "$BULK_PORT" --bytes "$OFFLOAD_BYTES" \
     --pacing-rate "$PACING_BPS" --limit 60 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$(nft_counters | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  local nc; nc=$(nstat_json cli)
  local iflist; iflist=$(nsx node ip -j link show | "$PY" -c 'import sys,json; print(json.dumps({l["ifname"]: {"ifindex": l["ifindex"], "mtu": l["mtu"]} for l in json.load(sys.stdin)}))')
  topo_down
  place any.pcap "$scen.node-any.sll2.pcap"
  place A.pcap "$scen.node-eth0.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_BULK_US" scenario="$scen" family=4 client="$C4" server="$S4" \
    port="$BULK_PORT" bytes="$OFFLOAD_BYTES" pacing_bytes_per_s="$PACING_BPS" client_offloads="$feats" \
    node_links="$iflist" node_nft_counters="$counters" client_nstat="$nc" \
    client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# the handshake failures: syn-drop-range, paws-nat, asym-synack
# shellcheck source=conn-failures.sh
. "$HERE/conn-failures.sh"

run_scenario() {
  rm -f "$WORK"/*
  case "$1" in
    pmtu-blackhole)      scen_pmtu pmtu-blackhole 1 4 ;;
    pmtu-ok)             scen_pmtu pmtu-ok 0 4 ;;
    pmtu-blackhole-v6)   scen_pmtu pmtu-blackhole-v6 1 6 ;;
    pmtu-ok-v6)          scen_pmtu pmtu-ok-v6 0 6 ;;
    random-loss-sack)    scen_bulk random-loss-sack 4 "$LOSS_PERMILLE" "$ACK_LOSS_PERMILLE" "$BULK_BYTES" 1 ;;
    clean-bulk)          scen_bulk clean-bulk 4 0 0 "$BULK_BYTES" 0 ;;
    random-loss-sack-v6) scen_bulk random-loss-sack-v6 6 "$LOSS_PERMILLE" "$ACK_LOSS_PERMILLE" "$V6_BULK_BYTES" 0 ;;
    clean-bulk-v6)       scen_bulk clean-bulk-v6 6 0 0 "$V6_BULK_BYTES" 0 ;;
    zero-window)         scen_zero_window ;;
    rst-and-refused)     scen_rst ;;
    many-streams)        scen_many ;;
    slow-rwnd)           scen_slow slow-rwnd "$DELAY_SLOW_US" "--rcvbuf $SLOW_RCVBUF" "--bytes $SLOW_BYTES" ;;
    slow-sndbuf)         scen_slow slow-sndbuf "$DELAY_SLOW_US" "" "--bytes $SLOW_BYTES --sndbuf $SLOW_SNDBUF --write-size ${SLOW_SNDBUF_WRITE:-65536}" ;;
    slow-app)            scen_slow slow-app "$DELAY_SLOW_US" "" "--bytes $SLOW_APP_BYTES --write-size $SLOW_APP_CHUNK --write-gap-ms $SLOW_APP_GAP_MS" ;;
    slow-cable)          SLOW_TBF=${SLOW_TBF:-rate $SLOW_CABLE_RATE burst 3028 limit $SLOW_CABLE_QUEUE} scen_slow slow-cable "$DELAY_SLOW_US" "" "--bytes $SLOW_BYTES" ;;
    slow-paced)          scen_slow slow-paced "$DELAY_SLOW_US" "" "--bytes $SLOW_BYTES --pacing-rate $SLOW_PACING_BPS" ;;
    slow-loss)           SLOW_LOSS=$SLOW_LOSS_PERMILLE scen_slow slow-loss "$DELAY_SLOW_US" "" "--bytes $SLOW_BYTES" ;;
    idle-burst)          SSAI=1 scen_slow idle-burst "$DELAY_SLOW_US" "" "--bytes $IDLE_BURST_BYTES --write-size 65536 --write-gap-ms $IDLE_BURST_GAP_MS" ;;
    idle-burst-off)      SSAI=0 scen_slow idle-burst-off "$DELAY_SLOW_US" "" "--bytes $IDLE_BURST_BYTES --write-size 65536 --write-gap-ms $IDLE_BURST_GAP_MS" ;;
    nagle-delayed-ack)   scen_nagle nagle-delayed-ack 0 ;;
    nagle-off)           scen_nagle nagle-off 1 ;;
    dns-timeout)         scen_dns dns-timeout "timeout:$DNS_TIMEOUT attempts:2 ndots:1" "" "$DNS_DROP_EVERY" "$DNS_NAMES" ;;
    dns-ndots)           scen_dns dns-ndots "timeout:$DNS_TIMEOUT attempts:2 ndots:5" "$DNS_SEARCH" 0 "$DNS_NAMES" ;;
    dns-clean)           scen_dns dns-clean "timeout:$DNS_TIMEOUT attempts:2 ndots:1" "" 0 "$DNS_NAMES" ;;
    idle-reset)          scen_idle idle-reset reset ;;
    idle-drop)           scen_idle idle-drop drop ;;
    idle-conntrack)      scen_idle idle-conntrack conntrack ;;
    idle-keepalive)      IDLE_KA=$IDLE_KA_S scen_idle idle-keepalive conntrack ;;
    syn-drop)            scen_syn_drop ;;
    syn-drop-range)      scen_syn_drop_range ;;
    paws-nat)            scen_paws_nat ;;
    asym-synack)         scen_asym_synack ;;
    asym-mac)            scen_asym_mac ;;
    foreign-reset)       scen_foreign_reset foreign-reset 4 0 ;;
    foreign-reset-v6)    scen_foreign_reset foreign-reset-v6 6 0 ;;
    foreign-reset-varied) scen_foreign_reset foreign-reset-varied 4 1 ;;
    untranslated-syn)    scen_untranslated untranslated-syn syn ;;
    untranslated-data)   scen_untranslated untranslated-data data ;;
    stall-at-end)        scen_stall_at_end ;;
    spurious-rto)        scen_spurious_rto ;;
    blackhole-wide)      TUN_MTU=$WIDE_TUN_MTU SMALL_SIZES=$WIDE_SMALL_SIZES SMALL_N=3 \
                         USER_TIMEOUT_MS=$WIDE_USER_TIMEOUT_MS SERVER_IDLE_S=$WIDE_SERVER_IDLE_S ENCAPS="" \
                         scen_pmtu blackhole-wide 1 4 ;;
    capture-gaps)        scen_capture_gaps ;;
    offload-copies)      scen_offload_copies ;;
    *) die "unknown scenario $1" ;;
  esac
}

# ------------------------------------------------------------ oracle
oracle() { # tshark's own analysis, one row per frame
  local f=$1 args=() x
  for x in $TSHARK_FIELDS; do args+=(-e "$x"); done
  tshark -r "$f" -n -T fields -E header=y -E separator=/t -E occurrence=a \
    -E aggregator=, "${args[@]}" >"$f.tshark.tsv" 2>"$WORK/tshark.err" \
    || die "tshark cannot read $f: $(grep -v 'Running as user' "$WORK/tshark.err")"
}

# ------------------------------------------------------------ main
[ "$(id -u)" = 0 ] || die "run as root (network namespaces)"
ensure_tools
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/pcg-work.XXXXXX)
chmod 0755 "$WORK"
log "profile=$PROFILE out=$OUT scenarios: $SCENARIOS"

if [ "$ORACLE_ONLY" = 0 ]; then
  for s in $SCENARIOS; do
    # old files of this scenario go first, so reruns are idempotent
    find "$OUT" -maxdepth 1 -type f -name "$s.*" \( -name '*.pcap*' -o -name '*.tsv' -o -name '*.json' \) -delete
    run_scenario "$s"
  done
fi

log "tshark oracles"
for f in "$OUT"/*.pcap "$OUT"/*.pcapng "$OUT"/*.pcap.gz; do
  [ -e "$f" ] || continue
  oracle "$f"
done

log "README"
"$PY" "$HERE/groundtruth.py" --dir "$OUT" --profile "$PROFILE" \
   --tshark-version "$(tshark --version 2>/dev/null | head -1)" \
   --tcpdump-version "$(tcpdump --version 2>&1 | head -1)" \
   --kernel "Linux $(uname -r | cut -d. -f1,2)" --fields "$TSHARK_FIELDS" >"$OUT/README.md"
rm -rf "$WORK"
log "done: $(du -sh "$OUT" | cut -f1) in $OUT"
