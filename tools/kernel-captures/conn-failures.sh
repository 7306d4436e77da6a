# conn-failures.sh - scenarios of connections that fail at the handshake (sourced by
# make-captures.sh; uses its functions, topology and parameters):
#   syn-drop-range   SYNs to a range of ports dropped for some source ports (a SNAT or conntrack
#                    clash): those connections never get a SYN-ACK, the others and an established
#                    transfer carry on
#   paws-nat         two clients behind one SNAT address, one with its TCP timestamp clock an hour
#                    behind (wire.py --ts-shift-ms); the server drops the SYNs whose TSval is behind
#                    the clock it saw first from that address (what tcp_tw_recycle did before 4.12)
#   asym-synack      the server sends its SYN-ACKs by another link (policy routing on an nft mark):
#                    the node's capture sees the SYN and the rest of the server's packets, never a
#                    SYN-ACK; the client's capture (-i any) sees the SYN-ACK arrive on another
#                    interface than the SYN left by
#   asym-mac         the same on one LAN: the server's SYN-ACKs reach the client's segment by a
#                    second router port (a bridge joins client, node and the server's second link):
#                    the client's capture sees them come from another MAC than the SYNs went to

  : "${SYNR_PORTS:=9091-9099}"; : "${SYNR_SPORT_MASK:=0x6}"; : "${SYNR_SPORT_VALUE:=0x2}"
  : "${SYNR_CONNS:=20}"; : "${SYNR_CONNECT_S:=8}"; : "${SYNR_GAP_MS:=300}"; : "${SYNR_BULK_BYTES:=250000}"; : "${SYNR_BULK_BPS:=10000}"
  : "${PAWS_CONNS_A:=6}"; : "${PAWS_BEHIND_MS:=3600000}"; : "${PAWS_CONNS_B:=2}"; : "${PAWS_CONNECT_S:=8}"; : "${PAWS_GAP_MS:=1000}"
  : "${ASYM_CONNS:=6}"

# syn-drop-range: the node drops every SYN to SYNR_PORTS whose source port & SYNR_SPORT_MASK ==
# SYNR_SPORT_VALUE (a quarter of the ports the client picks): those connections retry their SYN at
# 1, 3 and 7 s and give up after SYNR_CONNECT_S; the other connections to that range, all those to
# RPC_PORT and a paced transfer established before carry on.
scen_syn_drop_range() {
  local scen=syn-drop-range
  local p2=$((RPC_PORT + 1))
  log "$scen: SYNs to $SYNR_PORTS from source ports & $SYNR_SPORT_MASK == $SYNR_SPORT_VALUE dropped"
  topo_up 0 1500 0 0 0 "$DELAY_MANY_US"
  nsx node nft add rule inet pcg c_forward ip saddr "$C4" tcp dport "$SYNR_PORTS" "tcp flags & (syn|ack) == syn" \
    tcp sport \& "$SYNR_SPORT_MASK" == "$SYNR_SPORT_VALUE" counter drop
  cap_start node eth0 "$WORK/A.pcap"
  local pids=() p
  ip netns exec "$(ns srv)" "$PY" "$HERE/tcpapp.py" bulk-server --bind "$S4" --port "$BULK_PORT" --limit 60 >"$WORK/bulk-server.json" 2>&1 &
  pids+=($!); BG_PIDS+=($!)
  ip netns exec "$(ns srv)" "$PY" "$HERE/tcpapp.py" many-server --bind "$S4" --port "$RPC_PORT" --conns "$SYNR_CONNS" --limit 60 >"$WORK/server-a.json" 2>&1 &
  pids+=($!); BG_PIDS+=($!)
  ip netns exec "$(ns srv)" "$PY" "$HERE/tcpapp.py" many-server --bind "$S4" --port "$p2" --conns "$SYNR_CONNS" --limit 60 >"$WORK/server-b.json" 2>&1 &
  pids+=($!); BG_PIDS+=($!)
  local i
  for i in $(seq 100); do
    [ "$(cat "$WORK"/bulk-server.json "$WORK"/server-a.json "$WORK"/server-b.json 2>/dev/null | grep -c listening)" = 3 ] && break; sleep 0.05
  done
  ( app cli bulk-client --connect "$S4" --port "$BULK_PORT" --bytes "$SYNR_BULK_BYTES" --pacing-rate "$SYNR_BULK_BPS" \
      --limit 60 >"$WORK/client-bulk.json" 2>&1 || true ) &
  local bulk=$!; BG_PIDS+=("$bulk")
  sleep 1
  ( app cli many-client --connect "$S4" --port "$RPC_PORT" --conns "$SYNR_CONNS" --concurrency 2 --gap-ms "$SYNR_GAP_MS" \
      --limit 60 >"$WORK/client-a.json" 2>&1 || true ) &
  local ca=$!; BG_PIDS+=("$ca")
  app cli many-client --connect "$S4" --port "$p2" --conns "$SYNR_CONNS" --concurrency 2 --gap-ms "$SYNR_GAP_MS" \
      --connect-timeout "$SYNR_CONNECT_S" --limit 90 >"$WORK/client-b.json" 2>&1 || true
  wait "$ca" 2>/dev/null || true; forget_pid "$ca"
  wait "$bulk" 2>/dev/null || true; forget_pid "$bulk"
  sleep 1
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; forget_pid "$p"; done
  cap_stop
  wire_stop; local wire=$WIRE_RESULT
  local counters; counters=$(nft_counters | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  meta "$scen" wire="$wire" one_way_delay_us="$DELAY_MANY_US" scenario="$scen" family=4 client="$C4" server="$S4" \
    port="$RPC_PORT" dropped_port="$p2" drop_rule="\"tcp dport $SYNR_PORTS syn, tcp sport & $SYNR_SPORT_MASK == $SYNR_SPORT_VALUE\"" \
    conns_per_port="$SYNR_CONNS" connect_timeout_s="$SYNR_CONNECT_S" bulk_port="$BULK_PORT" node_nft_counters="$counters" \
    client_log_kept_port="@$WORK/client-a.json" client_log_dropped_port="@$WORK/client-b.json" client_log_bulk="@$WORK/client-bulk.json"
}

# tsval_of NS SRC: the TSval the kernel of namespace NS puts in a SYN from SRC to the server now
tsval_of() {
  local n=$1 src=$2 f="$WORK/probe-$1.pcap"
  ip netns exec "$(ns "$n")" timeout 5 tcpdump -i eth0 -n -c 1 -U -w "$f" "tcp[tcpflags] & tcp-syn != 0 and src host $src and dst port 9" 2>/dev/null &
  local t=$!
  sleep 0.5
  ip netns exec "$(ns "$n")" timeout 3 "$PY" -c "import socket; s=socket.socket(); s.settimeout(1)
try: s.connect(('$S4', 9))
except OSError: pass" || true
  wait "$t" 2>/dev/null || true
  tshark -r "$f" -T fields -e tcp.options.timestamp.tsval 2>/dev/null | head -1
}

# paws-nat: two client hosts behind one SNAT address (the node masquerades both to its tunl0 address).
# Both kernels send timestamps from their raw clock (tcp_timestamps=2: no per-connection offset, one
# clock per host as older Linux and other systems have); client B sits behind a wire (wire.py
# --ts-shift-ms) that makes its clock PAWS_BEHIND_MS behind A's. The server drops every SYN from the
# NAT address whose TSval is below A's clock when the capture starts: what a server with
# tcp_tw_recycle did (it remembered the last TSval per peer address and dropped SYNs with an older
# one). B's connections wait for SYN-ACKs that never come while A's keep working.
scen_paws_nat() {
  local scen=paws-nat
  log "$scen: two clients behind one SNAT address, B's clock ${PAWS_BEHIND_MS} ms behind; the server drops SYNs whose TSval went backwards"
  topo_up 0 1500 0 0 0 0
  local nat=$N4B b=$NET4.4.2 n
  nsinit cli2; nsinit wan2
  veth cli2 eth0 wan2 w0 4 2 101 1500
  veth wan2 w1 node eth2 4 102 1 1500
  ifaddr cli2 eth0 4 2; ifaddr node eth2 4 1
  neigh cli2 eth0 4 1; neigh node eth2 4 2
  ip -n "$(ns cli2)" route add default via "$NET4.4.1"
  for n in cli cli2; do
    nsx $n sysctl -qw net.ipv4.tcp_timestamps=2 net.ipv4.tcp_sack=1 net.ipv4.tcp_window_scaling=1 net.ipv4.tcp_syn_retries=6
  done
  ip netns exec "$(ns wan2)" "$PY" "$HERE/wire.py" --a w0 --b w1 --delay-us 100 --ts-shift-ms "$PAWS_BEHIND_MS" \
     --limit 90 >"$WORK/wire2.json" 2>&1 &
  local wpid=$!; BG_PIDS+=("$wpid")
  local i
  for i in $(seq 100); do grep -q wire-up "$WORK/wire2.json" 2>/dev/null && break; sleep 0.05; done
  nsx node nft add table ip pcgnat
  nsx node nft add chain ip pcgnat post '{ type nat hook postrouting priority 100; }'
  nsx node nft add rule ip pcgnat post oifname tunl0 ip saddr "{ $NET4.1.0/24, $NET4.4.0/24 }" counter masquerade
  local ta; ta=$(tsval_of cli "$C4")
  [ -n "$ta" ] || die "$scen: no TSval from client A"
  log "$scen: client A $C4 clock at TSval $ta, client B $b behind by $PAWS_BEHIND_MS"
  {
    echo "table inet pcgpaws {"
    echo " chain i { type filter hook input priority 0; policy accept;"
    echo "  ip saddr $nat tcp dport $RPC_PORT tcp flags & (syn|ack) == syn tcp option timestamp tsval < $ta counter drop"
    echo " }"
    echo "}"
  } | nsx srv nft -f -
  cap_start srv eth0 "$WORK/B.pcap"
  local sp
  ip netns exec "$(ns srv)" "$PY" "$HERE/tcpapp.py" many-server --bind "$S4" --port "$RPC_PORT" --conns "$PAWS_CONNS_A" --limit 60 >"$WORK/server.json" 2>&1 &
  sp=$!; BG_PIDS+=("$sp")
  for i in $(seq 100); do grep -q listening "$WORK/server.json" 2>/dev/null && break; sleep 0.05; done
  ( app cli many-client --connect "$S4" --port "$RPC_PORT" --conns "$PAWS_CONNS_A" --concurrency 1 \
      --gap-ms "$PAWS_GAP_MS" --limit 60 >"$WORK/client-a.json" 2>&1 || true ) &
  local ca=$!; BG_PIDS+=("$ca")
  sleep 1.5
  app cli2 many-client --connect "$S4" --port "$RPC_PORT" --conns "$PAWS_CONNS_B" --concurrency 1 \
      --connect-timeout "$PAWS_CONNECT_S" --limit 60 >"$WORK/client-b.json" 2>&1 || true
  wait "$ca" 2>/dev/null || true; forget_pid "$ca"
  sleep 1
  kill -TERM "$sp" 2>/dev/null || true; wait "$sp" 2>/dev/null || true; forget_pid "$sp"
  cap_stop
  local srvrule; srvrule=$(nsx srv nft list table inet pcgpaws | grep -E 'counter packets' | sed 's/^[[:space:]]*//' | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  local natrule; natrule=$(nsx node nft list table ip pcgnat | grep -E 'counter packets' | sed 's/^[[:space:]]*//' | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  local nst; nst=$(nsx srv nstat -asz 2>/dev/null | grep -E 'PAWS|ListenDrops|ListenOverflows' | "$PY" -c 'import sys,json; print(json.dumps({l.split()[0]: int(l.split()[1]) for l in sys.stdin}))')
  kill -TERM "$wpid" 2>/dev/null || true; wait "$wpid" 2>/dev/null || true; forget_pid "$wpid"
  local wire2; wire2=$(grep wire-done "$WORK/wire2.json" || echo '{}')
  topo_down
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" scenario="$scen" family=4 server="$S4" port="$RPC_PORT" nat_address="$nat" client_a="$C4" client_b="$b" \
    tcp_timestamps=2 client_a_tsval_at_start="$ta" client_b_behind_ms="$PAWS_BEHIND_MS" wire_b="$wire2" \
    emulation="\"server nft input: SYNs from $nat with TSval below $ta dropped (tcp_tw_recycle's per-peer PAWS check, removed from Linux in 4.12); client B's clock set $PAWS_BEHIND_MS ms behind by wire.py --ts-shift-ms\"" \
    server_nft_counters="$srvrule" node_nat_counters="$natrule" server_nstat="$nst" \
    conns_a="$PAWS_CONNS_A" conns_b="$PAWS_CONNS_B" connect_timeout_s="$PAWS_CONNECT_S" \
    client_log_a="@$WORK/client-a.json" client_log_b="@$WORK/client-b.json" server_log="@$WORK/server.json"
}

# asym-synack: a second link between the client and the server (cli eth1 - srv eth1, subnet 5); the
# server marks its SYN-ACKs in an nft route chain and sends marked packets by that link (ip rule
# fwmark 1 -> table 100). Everything else goes through the node as before.
scen_asym_synack() {
  local scen=asym-synack
  log "$scen: the server's SYN-ACKs take another link than the rest"
  topo_up 0 1500 0 0 0 0
  link cli eth1 srv eth1 5 2 1 1500
  nsx cli sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.eth1.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
  ip -n "$(ns srv)" rule add fwmark 1 table 100
  ip -n "$(ns srv)" route add "$NET4.1.0/24" via "$NET4.5.2" dev eth1 table 100
  {
    echo "table inet pcgasym {"
    echo " chain o { type route hook output priority mangle; policy accept;"
    echo "  ip daddr $NET4.1.0/24 tcp flags & (syn|ack) == (syn|ack) counter meta mark set 1"
    echo " }"
    echo "}"
  } | nsx srv nft -f -
  local links; links=$(nsx cli ip -j link show | "$PY" -c 'import sys,json; print(json.dumps({l["ifname"]: {"ifindex": l["ifindex"], "mac": l.get("address")} for l in json.load(sys.stdin)}))')
  cap_start node eth0 "$WORK/A.pcap"
  cap_start cli any "$WORK/C.pcap"
  cap_start srv eth0 "$WORK/B.pcap"
  app_bg srv "$WORK/server.json" many-server --bind "$S4" --port "$RPC_PORT" --conns "$ASYM_CONNS" --limit 60
  app cli many-client --connect "$S4" --port "$RPC_PORT" --conns "$ASYM_CONNS" --concurrency 1 --gap-ms 200 \
      --limit 60 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  local rule; rule=$(nsx srv nft list table inet pcgasym | grep -E 'counter packets' | sed 's/^[[:space:]]*//' | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  wire_stop; local wire=$WIRE_RESULT
  topo_down
  place A.pcap "$scen.node-eth0.pcap"
  place C.pcap "$scen.client-any.sll2.pcap"
  place B.pcap "$scen.server-eth0.pcap"
  meta "$scen" wire="$wire" scenario="$scen" family=4 client="$C4" server="$S4" port="$RPC_PORT" conns="$ASYM_CONNS" \
    synack_route="\"srv: nft route chain marks SYN-ACKs to $NET4.1.0/24, ip rule fwmark 1 table 100: $NET4.1.0/24 via $NET4.5.2 dev eth1\"" \
    server_mark_counters="$rule" client_links="$links" client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}

# asym-mac: client, node and a second interface of the server on one bridged LAN (namespace lan,
# br0); the client's default gateway is the node. The server marks its SYN-ACKs and sends them by its
# LAN interface straight to the client's MAC; the rest goes back through far and the node. Captured at
# the client's eth0 (the SYN to the node's MAC, the SYN-ACK from the server's LAN MAC, the rest from
# the node's) and at the node's eth0 (no SYN-ACK).
scen_asym_mac() {
  local scen=asym-mac n
  log "$scen: the server's SYN-ACKs reach the client's LAN from another MAC than its gateway's"
  V6ON=0
  for n in cli node far srv lan; do nsinit $n; done
  veth cli eth0 lan p1 1 2 201 1500
  veth node eth0 lan p2 1 1 202 1500
  veth srv eth1 lan p3 1 3 203 1500
  ip -n "$(ns lan)" link add br0 type bridge stp_state 0
  for n in p1 p2 p3; do ip -n "$(ns lan)" link set "$n" master br0; done
  ip -n "$(ns lan)" link set br0 up
  ifaddr cli eth0 1 2; ifaddr node eth0 1 1
  ip -n "$(ns srv)" addr add "$NET4.1.3/32" dev eth1
  neigh cli eth0 1 1; neigh node eth0 1 2; neigh srv eth1 1 2
  link node tunl0 far tunl0 2 1 2 1500
  link far eth1 srv eth0 3 1 2 1500
  ip -n "$(ns cli)" route add default via "$N4A"
  ip -n "$(ns srv)" route add default via "$F4B"
  ip -n "$(ns node)" route add "$NET4.3.0/24" via "$F4A"
  ip -n "$(ns far)"  route add "$NET4.1.0/24" via "$N4B"
  nsx node sysctl -qw net.ipv4.ip_forward=1
  nsx far  sysctl -qw net.ipv4.ip_forward=1
  for n in cli srv; do
    nsx $n sysctl -qw net.ipv4.tcp_sack=1 net.ipv4.tcp_timestamps=1 net.ipv4.tcp_window_scaling=1 net.ipv4.tcp_syn_retries=6 \
      net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
  done
  ip -n "$(ns srv)" rule add fwmark 1 table 100
  ip -n "$(ns srv)" route add "$NET4.1.0/24" dev eth1 table 100
  {
    echo "table inet pcgasym {"
    echo " chain o { type route hook output priority mangle; policy accept;"
    echo "  ip daddr $NET4.1.0/24 tcp flags & (syn|ack) == (syn|ack) counter meta mark set 1"
    echo " }"
    echo "}"
  } | nsx srv nft -f -
  local macs; macs="{\"client_eth0\": \"$(mac 1 2)\", \"node_eth0\": \"$(mac 1 1)\", \"server_eth1\": \"$(mac 1 3)\"}"
  cap_start cli eth0 "$WORK/C.pcap"
  cap_start node eth0 "$WORK/A.pcap"
  app_bg srv "$WORK/server.json" many-server --bind "$S4" --port "$RPC_PORT" --conns "$ASYM_CONNS" --limit 60
  app cli many-client --connect "$S4" --port "$RPC_PORT" --conns "$ASYM_CONNS" --concurrency 1 --gap-ms 200 \
      --limit 60 >"$WORK/client.json" 2>&1 || true
  app_wait
  cap_stop
  local rule; rule=$(nsx srv nft list table inet pcgasym | grep -E 'counter packets' | sed 's/^[[:space:]]*//' | "$PY" -c 'import sys,json; print(json.dumps([l.strip() for l in sys.stdin]))')
  topo_down
  place C.pcap "$scen.client-eth0.pcap"
  place A.pcap "$scen.node-eth0.pcap"
  meta "$scen" scenario="$scen" family=4 client="$C4" server="$S4" port="$RPC_PORT" conns="$ASYM_CONNS" macs="$macs" \
    synack_route="\"srv: nft route chain marks SYN-ACKs to $NET4.1.0/24, ip rule fwmark 1 table 100: $NET4.1.0/24 dev eth1 (the client's bridged LAN)\"" \
    server_mark_counters="$rule" client_log="@$WORK/client.json" server_log="@$WORK/server.json"
}
