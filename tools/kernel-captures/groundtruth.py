#!/usr/bin/python3
"""Write README.md (stdout) and ground-truth.json for a capture folder.

Reads every <capture>.tshark.tsv (tshark's per-frame analysis) and
<scenario>.meta.json (how the scenario was set up, kernel counters) and
derives the facts a correct analysis tool must report, cross-checking the
two capture points of a scenario against each other.  Standard library only.
"""
import argparse
import collections
import csv
import json
import os
import re
import sys

csv.field_size_limit(1 << 24)

FLAGS = ["retransmission", "fast_retransmission", "spurious_retransmission",
         "out_of_order", "lost_segment", "ack_lost_segment", "duplicate_ack",
         "zero_window", "window_full", "window_update", "keep_alive",
         "keep_alive_ack", "zero_window_probe", "zero_window_probe_ack",
         "reused_ports"]

SCEN_ORDER = ["pmtu-blackhole", "pmtu-ok", "pmtu-blackhole-v6", "pmtu-ok-v6",
              "random-loss-sack", "random-loss-sack-v6", "clean-bulk",
              "clean-bulk-v6", "zero-window", "rst-and-refused", "many-streams",
              "stall-at-end", "spurious-rto", "blackhole-wide", "capture-gaps", "offload-copies"]
KINDS = ("stall-at-end", "spurious-rto", "blackhole-wide", "capture-gaps", "offload-copies")


# ------------------------------------------------------------ TSV access
def load(path):
    with open(path, newline="") as f:
        rd = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        hdr = next(rd)
        return [Row(dict(zip(hdr, r))) for r in rd]


class Row(dict):
    """One tshark row. For tunnelled frames (IPIP/VXLAN/GRE) multi-valued
    fields hold outer,inner; the TCP packet is always the innermost one."""

    def s(self, k):
        return self.get(k, "") or ""

    def last(self, k):
        v = self.s(k)
        return v.split(",")[-1] if v else ""

    def first(self, k):
        v = self.s(k)
        return v.split(",")[0] if v else ""

    def i(self, k, default=None):
        v = self.last(k)
        if v == "":
            return default
        return int(v, 16) if v.startswith("0x") else int(v)

    @property
    def num(self):
        return int(self["frame.number"])

    @property
    def t(self):
        return float(self["frame.time_epoch"])

    @property
    def icmp(self):
        return bool(self.s("icmp.type") or self.s("icmpv6.type"))

    @property
    def tcp(self):
        return bool(self.s("tcp.srcport")) and not self.icmp

    @property
    def src(self):
        return self.last("ipv6.src") or self.last("ip.src")

    @property
    def dst(self):
        return self.last("ipv6.dst") or self.last("ip.dst")

    @property
    def iplen(self):
        """Length of the IP packet that carries the TCP segment (or the
        ICMP message: the outermost one)."""
        if self.icmp:
            if self.s("ipv6.plen"):
                return 40 + int(self.first("ipv6.plen"))
            return int(self.first("ip.len"))
        if self.s("ipv6.plen"):
            return 40 + int(self.last("ipv6.plen"))
        if self.s("ip.len"):
            return int(self.last("ip.len"))
        return None

    @property
    def df(self):
        v = self.last("ip.flags.df")
        return v == "1" if v else None

    @property
    def stream(self):
        return self.i("tcp.stream")

    @property
    def seq(self):
        return self.i("tcp.seq")

    @property
    def seglen(self):
        return self.i("tcp.len", 0)

    @property
    def ack(self):
        return self.i("tcp.ack")

    @property
    def flags(self):
        return self.i("tcp.flags", 0)

    def has(self, flag):
        return bool(self.s("tcp.analysis." + flag))

    def sacks(self):
        le, re_ = self.s("tcp.options.sack_le"), self.s("tcp.options.sack_re")
        if not le:
            return []
        return list(zip([int(x) for x in le.split(",")], [int(x) for x in re_.split(",")]))

    def tflags(self):
        return [f for f in FLAGS if self.has(f)]

    def key(self):
        """identity of a TCP packet across capture points"""
        return (self.s("tcp.srcport"), self.s("tcp.seq_raw"), self.seglen,
                self.s("tcp.options.timestamp.tsval"), self.flags)


SYN, FIN, RST, ACK = 0x02, 0x01, 0x04, 0x10


def flag_counts(rows):
    c = collections.Counter()
    for r in rows:
        if r.tcp:
            for f in r.tflags():
                c[f] += 1
    return c


def rng(frames, limit=40):
    """compact list of frame numbers: 1-5, 9, 12-14"""
    frames = sorted(frames)
    out, i = [], 0
    while i < len(frames):
        j = i
        while j + 1 < len(frames) and frames[j + 1] == frames[j] + 1:
            j += 1
        out.append(str(frames[i]) if i == j else "%d-%d" % (frames[i], frames[j]))
        i = j + 1
    if len(out) > limit:
        return ", ".join(out[:limit]) + ", ... (%d frames in all)" % len(frames)
    return ", ".join(out)


def fmtc(counter):
    return ", ".join("%s: %d" % kv for kv in sorted(counter.items())) or "none"


def fmt_counts(c):
    return ", ".join("%s %d" % (k, c[k]) for k in FLAGS if c.get(k)) or "none"


# ------------------------------------------------------------ file table
def file_kind(name):
    if name.endswith(".pcap.gz"):
        return "classic pcap, gzip-compressed, little-endian, microseconds"
    if name.endswith(".pcapng"):
        return "pcapng"
    if name.endswith(".be.pcap"):
        return "classic pcap, BIG-endian (magic a1 b2 c3 d4), microseconds"
    if name.endswith(".nsec.pcap"):
        return "classic pcap, little-endian, NANOSECONDS (magic 4d 3c b2 a1)"
    return "classic pcap, little-endian, microseconds"


def link_kind(name, rows):
    if ".sll2." in name:
        return "LINUX_SLL2 (276), tcpdump -i any"
    if name.endswith(".ipip.pcap"):
        return "Ethernet; outer IPv4 proto 4/41 (IPIP)"
    if name.endswith(".vxlan.pcap"):
        return "Ethernet; outer IPv4/UDP 4789/VXLAN/Ethernet"
    if name.endswith(".gre.pcap"):
        return "Ethernet; outer IPv4/GRE"
    if name.endswith(".vlan.pcap"):
        return "Ethernet with 802.1Q tag"
    return "Ethernet (1)"


# ------------------------------------------------------------ analyses
def tcp_rows(rows, stream=None):
    return [r for r in rows if r.tcp and (stream is None or r.stream == stream)]


def handshake_rtt(rows, stream):
    syn = synack = ack3 = None
    for r in tcp_rows(rows, stream):
        if r.flags & SYN and not r.flags & ACK and syn is None:
            syn = r
        elif r.flags & SYN and r.flags & ACK and synack is None:
            synack = r
        elif syn and synack and r.flags == ACK and ack3 is None:
            ack3 = r
            break
    if syn and synack and ack3:
        return (ack3.t - syn.t) * 1000.0
    return None


def mss_of(rows, stream, synack):
    for r in tcp_rows(rows, stream):
        if r.flags & SYN and bool(r.flags & ACK) == synack:
            return r.i("tcp.options.mss_val")
    return None


def cross(a_rows, b_rows, src):
    """frames from `src` seen at A but not at B (and B not at A)."""
    bkeys = collections.Counter(r.key() for r in b_rows if r.tcp and r.src == src)
    akeys = collections.Counter(r.key() for r in a_rows if r.tcp and r.src == src)
    missing_at_b, seen = [], collections.Counter()
    for r in a_rows:
        if r.tcp and r.src == src:
            k = r.key()
            seen[k] += 1
            if seen[k] > bkeys.get(k, 0):
                missing_at_b.append(r)
    missing_at_a, seen = [], collections.Counter()
    for r in b_rows:
        if r.tcp and r.src == src:
            k = r.key()
            seen[k] += 1
            if seen[k] > akeys.get(k, 0):
                missing_at_a.append(r)
    return missing_at_b, missing_at_a


def holes(rows, stream, src):
    """sequence gaps in the data from src, as seen in this capture."""
    out, hi = [], None
    for r in tcp_rows(rows, stream):
        if r.src != src:
            continue
        seq, n = r.seq, r.seglen + (1 if r.flags & (SYN | FIN) else 0)
        if seq is None:
            continue
        if hi is not None and seq > hi:
            out.append((hi, seq, r.num))
        if hi is None or seq + n > hi:
            hi = seq + n
    return out


def fin_rst(rows, stream):
    ev = []
    for r in tcp_rows(rows, stream):
        if r.flags & (FIN | RST):
            what = "RST" if r.flags & RST else "FIN"
            ev.append("%s from %s in frame %d" % (what, r.src, r.num))
    return ev


def stream_of(rows, port):
    for r in rows:
        if r.tcp and (r.i("tcp.dstport") == port):
            return r.stream
    return None


class Doc:
    def __init__(self):
        self.lines = []

    def __call__(self, s=""):
        self.lines.append(s)

    def text(self):
        return "\n".join(self.lines) + "\n"


def analyse_pmtu(doc, scen, meta, files, rows_of, truth):
    A = "%s.node-eth0.pcap" % scen
    B = "%s.server-eth0.pcap" % scen
    a, b = rows_of[A], rows_of[B]
    mtu, port = meta["path_mtu"], meta["port"]
    cli, srv = meta["client"], meta["server"]
    v6 = meta["family"] in (6, "6")
    blackhole = str(meta["icmp_dropped"]) == "1"
    st_a, st_b = stream_of(a, port), stream_of(b, port)
    t0 = a[0].t
    T = {"file_A": A, "file_B": B, "path_mtu": mtu, "stream_A": st_a, "stream_B": st_b}
    cmss, smss = mss_of(a, st_a, False), mss_of(a, st_a, True)
    cport = next(r.i("tcp.srcport") for r in a if r.tcp and r.stream == st_a)
    doc("* TCP connection: **stream %s** in both files, %s:%s -> %s:%s. MSS in SYN %s "
        "(client), %s (server: its own MTU is 1500, so nothing in the handshake "
        "reveals the %s-byte link). Handshake RTT %.2f ms. SACK, timestamps "
        "and window scaling are on, so data segments carry a 32-byte TCP header "
        "(20 + 12 bytes of timestamp option)." % (
            st_a, cli, cport, srv, port, cmss, smss, mtu,
            handshake_rtt(a, st_a) or 0))
    data = [r for r in tcp_rows(a, st_a) if r.src == cli and r.seglen > 0]
    big = [r for r in data if r.iplen and r.iplen > mtu]
    small_ok = [r for r in data if not (r.iplen and r.iplen > mtu)]
    hdr = "IPv6 length" if v6 else "IP total length"
    if v6:
        doc("* (\"IPv6 length\" below = 40-byte IPv6 header + payload length, "
            "the size compared with the MTU.)")
    segs = collections.OrderedDict()
    for r in big:
        segs.setdefault((r.seq, r.seglen), []).append(r)
    T["oversized_frames_A"] = [r.num for r in big]
    T["oversized_segments"] = []
    if big:
        doc("* Packets bigger than the path MTU %d sent by the client (all in "
            "node-eth0, none in server-eth0): **%d frame%s**: %s." % (
                mtu, len(big), "" if len(big) == 1 else "s", rng([r.num for r in big])))
        for (seq, n), rs in segs.items():
            first = rs[0]
            doc("  * segment relative seq %d-%d (%d bytes of data), %s %d%s: original in frame %d "
                "(t=%.3f s)%s." % (
                    seq, seq + n, n, hdr, first.iplen,
                    ", DF set" if first.df else ("" if v6 else ", DF clear"),
                    first.num, first.t - t0,
                    (", then %d retransmission%s of it in frames %s, at +%s s after the original" % (
                        len(rs) - 1, "" if len(rs) == 2 else "s", rng([r.num for r in rs[1:]]),
                        ", +".join("%.3f" % (r.t - first.t) for r in rs[1:])))
                    if len(rs) > 1 else ", never retransmitted at this size"))
            T["oversized_segments"].append({
                "rel_seq": seq, "len": n, "ip_len": first.iplen, "df": first.df,
                "frames_A": [r.num for r in rs], "retransmissions": len(rs) - 1})
    else:
        doc("* No packet bigger than the path MTU %d is ever sent: "
            "the client's segments all fit." % mtu)
    # acks from the server
    acks = [r for r in tcp_rows(a, st_a) if r.src == srv and r.flags & ACK]
    max_ack = max([r.ack for r in acks if r.ack is not None] or [0])
    if big:
        never = [(s, n) for (s, n) in segs if max_ack < s + n]
        T["never_acked_segments"] = [{"rel_seq": s, "len": n} for s, n in never]
        if never:
            doc("* Highest cumulative ACK from the server: %d, so the oversized data "
                "(relative seq %s) is **never acknowledged**." % (
                    max_ack, ", ".join("%d-%d" % (s, s + n) for s, n in never)))
        else:
            doc("* All data is eventually acknowledged (highest ACK %d)." % max_ack)
    sack_rows = [r for r in acks if r.sacks()]
    if sack_rows:
        blocks = sorted(set(tuple(x) for r in sack_rows for x in r.sacks()))
        dsack = [r.num for r in sack_rows if any(re_ <= r.ack for _le, re_ in r.sacks())]
        doc("* ACKs carrying SACK blocks (node-eth0 frames %s): ACK %s with SACK %s "
            "-> the receiver reports data beyond a hole at the cumulative ACK%s." % (
                rng([r.num for r in sack_rows]),
                ", ".join(sorted(set(str(r.ack) for r in sack_rows), key=int)),
                ", ".join("%d-%d" % bl for bl in blocks),
                ("; frames %s carry D-SACK blocks (below the cumulative ACK: "
                 "data received twice)" % rng(dsack)) if dsack else ""))
        T["sack_frames_A"] = [r.num for r in sack_rows]
        T["sack_blocks"] = [list(bl) for bl in blocks]
    icmp = [r for r in a if r.icmp]
    T["icmp_frames_A"] = [r.num for r in icmp]
    if icmp:
        for r in icmp:
            doc("* ICMP in frame %d (node-eth0): %s type %s code %s, next-hop MTU %s, "
                "sent by %s to %s; it quotes the client's %d-byte packet." % (
                    r.num, "ICMPv6" if r.s("icmpv6.type") else "ICMP",
                    r.s("icmpv6.type") or r.s("icmp.type"),
                    r.s("icmpv6.code") or r.s("icmp.code"),
                    r.s("icmpv6.mtu") or r.s("icmp.mtu"),
                    r.first("ipv6.src") or r.first("ip.src"),
                    r.first("ipv6.dst") or r.first("ip.dst"),
                    int(r.last("ip.len") or 0) or (40 + int(r.last("ipv6.plen") or 0))))
        after = [r for r in data if r.num > icmp[0].num and r.iplen and r.iplen <= mtu]
        if after:
            doc("* After the ICMP the client re-sends the data in segments that fit: "
                "%s." % "; ".join("frame %d seq %d len %d (%s %d)%s" % (
                    r.num, r.seq, r.seglen, hdr, r.iplen,
                    " [tshark: %s]" % ",".join(r.tflags()) if r.tflags() else "")
                    for r in after[:6]))
    else:
        doc("* No ICMP / ICMPv6 message is in either capture: the node generated "
            "'%s' for each oversized packet but its firewall dropped them "
            "(netfilter counter on the node: %s)." % (
                "Packet Too Big" if v6 else "fragmentation needed",
                "; ".join(c for c in meta.get("node_nft_counters", []) if ("icmp" in c and "packets 0 " not in c)) or "n/a"))
    # cross-check A vs B
    miss_b, miss_a = cross(a, b, cli)
    T["client_frames_seen_A_not_B"] = [r.num for r in miss_b]
    doc("* Cross-check of the two points (matching TCP seq, length, TSval): "
        "client packets seen at node-eth0 but never at server-eth0: %s%s." % (
            rng([r.num for r in miss_b]) or "none",
            " - exactly the oversized frames" if big and [r.num for r in miss_b] == [r.num for r in big]
            else ""))
    if miss_a:
        doc("  (client packets at server-eth0 that are not in node-eth0: %s)" % rng([r.num for r in miss_a]))
    mx_b = max([r.iplen for r in b if r.tcp and r.src == cli and r.iplen] or [0])
    doc("* server-eth0: largest client packet is %d bytes (<= %d); %d frames in all." % (mx_b, mtu, len(b)))
    hb = holes(b, st_b, cli)
    T["holes_B"] = [[h[0], h[1]] for h in hb]
    if hb:
        doc("* server-eth0 sees a sequence hole in the client's data: %s "
            "(tshark flags frame(s) %s as 'previous segment not captured')." % (
                "; ".join("relative seq %d-%d (%d bytes) missing before frame %d" % (h[0], h[1], h[1] - h[0], h[2]) for h in hb),
                rng([r.num for r in b if r.tcp and r.has("lost_segment")]) or "-"))
    delivered = max([r.ack for r in tcp_rows(b, st_b) if r.src == srv and r.ack is not None] or [1]) - 1
    doc("* Bytes of client data delivered in order to the server: %d (cumulative ACK %d)." % (delivered, delivered + 1))
    T["delivered_in_order"] = delivered
    # end of the story
    ev_a, ev_b = fin_rst(a, st_a), fin_rst(b, st_b)
    doc("* End of the connection: node-eth0: %s; server-eth0: %s." % ("; ".join(ev_a) or "none", "; ".join(ev_b) or "none"))
    cl = [x for x in meta.get("client_log", []) if x.get("event") == "big"]
    if cl:
        c = cl[0]
        ti = c.get("tcp_info", {})
        doc("* Client application result: %s after %.3f s (socket TCP_USER_TIMEOUT %s ms); "
            "the client kernel counted %s retransmission(s) (tcpi_total_retrans)." % (
                c.get("outcome"), c["t_end"] - c["t_start"], meta.get("user_timeout_ms"),
                ti.get("total_retrans")))
        T["client_outcome"] = c.get("outcome")
        T["client_total_retrans"] = ti.get("total_retrans")
    fa, fb = flag_counts(a), flag_counts(b)
    doc("* tshark expert flags, node-eth0: %s." % fmt_counts(fa))
    doc("* tshark expert flags, server-eth0: %s." % fmt_counts(fb))
    if blackhole and big:
        s0 = T["oversized_segments"][0]
        doc("* **Diagnosis a tool must reach:** PMTU black hole between %s and %s: "
            "%s%d-byte packets%s are never delivered (path MTU %d, no ICMP reaches "
            "the sender), retransmitted %d times without an ACK until the "
            "connection dies. Fix: MTU/MSS on the %d-byte link (clamp MSS to %d)." % (
                cli, srv, "" if not v6 else "IPv6 ", s0["ip_len"],
                "" if v6 else " with DF set", mtu, sum(x["retransmissions"] for x in T["oversized_segments"]),
                mtu, mtu - (60 if v6 else 40)))
    truth[scen] = T
    return st_a, cport


def analyse_variants(doc, scen, files, rows_of, truth, st, cli_port):
    base = "%s.node-eth0.pcap" % scen
    if base not in rows_of:
        return
    br = rows_of[base]
    for f in files:
        if f in (base, "%s.server-eth0.pcap" % scen):
            continue
        r = rows_of[f]
        if f.endswith((".nsec.pcap", ".pcapng", ".pcap.gz", ".be.pcap", ".ipip.pcap",
                       ".vxlan.pcap", ".gre.pcap", ".vlan.pcap")) and not f.endswith("-tunl0.pcapng"):
            same = len(r) == len(br) and all(
                x.key() == y.key() and x.stream == y.stream for x, y in zip(r, br))
            samet = len(r) == len(br) and all(abs(x.t - y.t) < 5e-7 for x, y in zip(r, br))
            note = ""
            if f.endswith(".nsec.pcap"):
                note = (" It is a second tcpdump run on the same interface at the same "
                        "time with nanosecond time stamps, so its time stamps differ "
                        "from %s by a few microseconds; the frames are the same." % base)
            elif f.endswith(".ipip.pcap") or f.endswith(".gre.pcap"):
                gre = f.endswith(".gre.pcap")
                o = next((x for x in r if x.tcp), None)
                osrc, odst = (o.first("ip.src"), o.first("ip.dst")) if o else ("?", "?")
                inner6 = bool(o and o.s("ipv6.plen"))
                big = truth.get(scen, {}).get("oversized_segments") or []
                ex = ""
                if big:
                    ex = (" (the oversized %d-byte inner packets are %d-byte outer packets)" % (
                        big[0]["ip_len"], big[0]["ip_len"] + (24 if gre else 20)))
                note = (" Every IP packet of %s is wrapped in an outer IPv4 header%s; "
                        "client->server outer %s -> %s, the reverse direction the other "
                        "way; outer DF copied from the inner packet, IP ID 0 when DF; as "
                        "a node's physical NIC shows %s overlay traffic. The inner packets "
                        "are byte for byte those of %s%s. tshark columns ip.src/ip.dst/"
                        "ip.len list outer,inner." % (
                            base, " + GRE (protocol 47, GRE type 0x%s)" % ("86dd" if inner6 else "0800")
                            if gre else " (protocol %d)" % (41 if inner6 else 4),
                            osrc, odst, "GRE" if gre else ("6in4/IPIP" if inner6 else "IPIP"), base, ex))
            elif f.endswith(".vxlan.pcap"):
                o = next((x for x in r if x.tcp), None)
                note = (" Every Ethernet frame of %s is carried in outer "
                        "IPv4 (%s -> %s) / UDP (dst 4789, source port from a flow hash, "
                        "checksum 0) / VXLAN (VNI %s); the inner frames are "
                        "byte for byte those of %s." % (
                            base, o.first("ip.src") if o else "?", o.first("ip.dst") if o else "?",
                            o.s("vxlan.vni") if o else "?", base))
            elif f.endswith(".vlan.pcap"):
                o = next((x for x in r if x.tcp), None)
                note = (" Every frame of %s with an 802.1Q tag (VLAN %s) inserted after "
                        "the source MAC; otherwise byte for byte the same." % (
                            base, o.s("vlan.id") if o else "?"))
            elif f.endswith(".be.pcap"):
                note = " Same records as %s written big-endian." % base
            elif f.endswith(".pcapng"):
                note = " %s converted to pcapng (one SHB, one IDB, EPBs)." % base
            elif f.endswith(".gz"):
                note = " %s compressed with gzip." % base
            doc("* `%s`: %d frames, %s frame by frame (same frame numbers, "
                "streams, sequence numbers%s) -> **the same ground truth as `%s`**.%s" % (
                    f, len(r), "identical to the base file" if same else "NOT identical (!) to the base",
                    ", time stamps" if samet else "", base, note))
            truth.setdefault("_variants", {})[f] = {"same_frames_as": base, "identical": same}
        elif ".sll2." in f or f.endswith("-tunl0.pcapng"):
            big = [x for x in r if x.tcp and x.iplen and x.iplen > truth.get(scen, {}).get("path_mtu", 99999)]
            if ".sll2." in f:
                links = (truth.get("_meta_links") or {})
                byidx = {str(v["ifindex"]): k for k, v in links.items()}
                def lab(x):
                    return "%s %s" % (byidx.get(x.s("sll.ifindex"), "ifindex " + x.s("sll.ifindex")),
                                      {"0": "in", "4": "out"}.get(x.s("sll.pkttype"), "pkttype " + x.s("sll.pkttype")))
                where = collections.Counter(lab(x) for x in big)
                allif = collections.Counter(lab(x) for x in r if x.tcp)
                doc("* `%s`: %d frames captured with `tcpdump -i any` in the node "
                    "(LINUX_SLL2 header with interface index and packet type; %s; "
                    "packet type 0 = to us/incoming, "
                    "4 = outgoing). Every forwarded packet appears twice (in on one "
                    "interface, out on the other), so tshark marks the second copy as "
                    "a retransmission/dup ACK. TCP frames per (ifindex, pkttype): %s. "
                    "Oversized packets (> %s): frames %s, all of them %s -> they come in "
                    "on eth0 and are never sent out on tunl0." % (
                        f, len(r), ", ".join("%s = ifindex %s" % (k, v["ifindex"]) for k, v in sorted(links.items()) if k != "lo"),
                        fmtc(allif),
                        truth.get(scen, {}).get("path_mtu"), rng([x.num for x in big]) or "none",
                        fmtc(where)))
            else:
                where = collections.Counter(x.s("frame.interface_name") for x in big)
                allif = collections.Counter(x.s("frame.interface_name") for x in r if x.tcp)
                ts = [x.t for x in r]
                nonmono = sum(1 for p, q in zip(ts, ts[1:]) if q < p)
                doc("* `%s`: %d frames, native pcapng written by dumpcap capturing "
                    "eth0 and tunl0 of the node at once (2 interface description "
                    "blocks, interface_id 0 = eth0, 1 = tunl0). TCP frames per "
                    "interface: %s. Oversized packets: frames %s, on %s only. "
                    "Forwarded packets appear twice (eth0 and tunl0). Time stamps "
                    "going backwards between consecutive records: %d." % (
                        f, len(r), fmtc(allif), rng([x.num for x in big]) or "none",
                        fmtc(where), nonmono))
            truth.setdefault("_variants", {})[f] = {"oversized_frames": [x.num for x in big]}


def analyse_bulk(doc, scen, meta, files, rows_of, truth):
    A = "%s.node-eth0.pcap" % scen
    B = "%s.server-eth0.pcap" % scen
    a, b = rows_of[A], rows_of[B]
    cli, srv, port = meta["client"], meta["server"], meta["port"]
    st_a, st_b = stream_of(a, port), stream_of(b, port)
    T = {"file_A": A, "file_B": B, "stream_A": st_a, "stream_B": st_b}
    data_a = [r for r in tcp_rows(a, st_a) if r.src == cli and r.seglen > 0]
    data_b = [r for r in tcp_rows(b, st_b) if r.src == cli and r.seglen > 0]
    dur = (tcp_rows(a, st_a)[-1].t - tcp_rows(a, st_a)[0].t)
    doc("* One TCP connection, **stream %s** in both files: %s -> %s:%s, %d bytes "
        "of application data client->server, then the server answers `OK <n>` and "
        "closes. Handshake RTT %.2f ms; sender paced at %s bytes/s; duration %.3f s." % (
            st_a, cli, srv, port, meta["bytes"], handshake_rtt(a, st_a) or 0,
            meta.get("pacing_bytes_per_s"), dur))
    smss = mss_of(a, st_a, True)
    full = max([r.seglen for r in data_a] or [0])
    doc("* Data segments from the client: %d at node-eth0, %d at server-eth0 "
        "(server MSS %s; with the 12-byte timestamp option full segments carry %d bytes)." % (
            len(data_a), len(data_b), smss, full))
    miss_b, miss_a = cross(a, b, cli)
    miss_b_data = [r for r in miss_b if r.seglen > 0]
    drops = [c for c in meta.get("node_nft_counters", []) if "numgen" in c]
    dropped = sum(int(re.search(r"packets (\d+)", c).group(1)) for c in drops if ("saddr " + cli + " ") in c)
    T["dropped_by_router"] = dropped
    T["client_frames_seen_A_not_B"] = [r.num for r in miss_b]
    if int(meta.get("loss_permille", 0)):
        doc("* Random loss: the node dropped **%d** of the client's data packets "
            "(%s per mille at random; netfilter counter). Cross-check: client "
            "packets seen at node-eth0 and never at server-eth0: **%d** -> node-eth0 frames %s." % (
                dropped, meta["loss_permille"], len(miss_b), rng([r.num for r in miss_b])))
        doc("  * dropped segments (relative seq/len): %s." % ", ".join(
            "%d/%d" % (r.seq, r.seglen) for r in miss_b_data[:60]) + (" ..." if len(miss_b_data) > 60 else ""))
        rloss = int(meta.get("reverse_loss_permille", 0) or 0)
        if rloss:
            mb2, _ = cross(b, a, srv)
            rd = sum(int(re.search(r"packets (\d+)", c).group(1)) for c in drops if ("saddr " + srv + " ") in c)
            doc("  * reverse direction: %s per mille of the server's packets dropped "
                "(counter %d); server packets seen at server-eth0 and never at "
                "node-eth0: %d (server-eth0 frames %s)." % (rloss, rd, len(mb2), rng([r.num for r in mb2])))
            T["server_frames_seen_B_not_A"] = [r.num for r in mb2]
    else:
        doc("* No loss: every packet seen at node-eth0 is seen at server-eth0 "
            "(client packets missing at B: %d)." % len(miss_b))
    hb = holes(b, st_b, cli)
    T["holes_B"] = [[h[0], h[1]] for h in hb]
    if hb:
        doc("* server-eth0: %d sequence holes in the client data (first: %s)." % (
            len(hb), "; ".join("%d-%d before frame %d" % h for h in hb[:5])))
    for name, rows, st in (("node-eth0", a, st_a), ("server-eth0", b, st_b)):
        fc = flag_counts(rows)
        sack = [r for r in tcp_rows(rows, st) if r.src == srv and r.sacks()]
        maxblk = max([len(r.sacks()) for r in sack] or [0])
        rtx = [r.num for r in tcp_rows(rows, st) if r.has("retransmission") or r.has("fast_retransmission")
               or r.has("spurious_retransmission") or (r.has("out_of_order") and r.src == cli)]
        doc("* %s: %d frames; tshark flags: %s; ACKs with SACK blocks: %d (up to %d blocks in one ACK)%s." % (
            name, len(rows), fmt_counts(fc), len(sack), maxblk,
            ("; retransmitted/out-of-order data frames: %s" % rng(rtx, 25)) if rtx else ""))
        T["flags_" + name] = dict(fc)
        T["sack_acks_" + name] = len(sack)
    srvlog = [x for x in meta.get("server_log", []) if x.get("event") == "bulk-received"]
    cl = [x for x in meta.get("client_log", []) if x.get("event") == "bulk-sent"]
    if srvlog and cl:
        doc("* All %d bytes arrived (server application read %d bytes); client kernel "
            "retransmissions (tcpi_total_retrans): %s." % (
                meta["bytes"], srvlog[0]["bytes"], cl[0]["tcp_info"].get("total_retrans")))
        T["client_total_retrans"] = cl[0]["tcp_info"].get("total_retrans")
    if int(meta.get("loss_permille", 0)):
        doc("* Note on tshark's labels: tshark calls a retransmission 'out-of-order' "
            "when it arrives less than one handshake RTT after the highest segment, "
            "even at node-eth0 where the original was seen; at server-eth0 the "
            "original was never seen, so 'previous segment not captured' precedes it.")
    truth[scen] = T


def analyse_zero_window(doc, scen, meta, files, rows_of, truth):
    A = "%s.node-eth0.pcap" % scen
    B = "%s.server-eth0.pcap" % scen
    T = {"file_A": A, "file_B": B}
    cli, srv, port = meta["client"], meta["server"], meta["port"]
    for name, f in (("node-eth0", A), ("server-eth0", B)):
        rows = rows_of[f]
        st = stream_of(rows, port)
        zw = [r for r in rows if r.tcp and r.has("zero_window")]
        ka = [r for r in rows if r.tcp and r.has("keep_alive")]
        wu = [r for r in rows if r.tcp and r.has("window_update")]
        wf = [r for r in rows if r.tcp and r.has("window_full")]
        zwp = [r for r in rows if r.tcp and r.has("zero_window_probe")]
        # stalls: from first zero window to the next window opening
        stalls, cur = [], None
        for r in tcp_rows(rows, st):
            if r.src != srv:
                continue
            w = r.i("tcp.window_size")
            if w == 0 and cur is None:
                cur = r
            elif w and cur is not None:
                stalls.append((cur.num, r.num, r.t - cur.t))
                cur = None
        doc("* %s (stream %s): %d frames. Zero-window ACKs from the server: %d (frames %s). "
            "Window-full segments from the client: %d. Probes while the window is "
            "zero (tshark 'keep_alive'; Linux probes with a 0-byte segment at "
            "seq = next-1, which tshark labels Keep-Alive rather than "
            "ZeroWindowProbe): %d (frames %s); tshark zero_window_probe: %d. "
            "Window updates: %d. Stalls (zero window -> window opens): %s." % (
                name, st, len(rows), len(zw), rng([r.num for r in zw], 20), len(wf),
                len(ka), rng([r.num for r in ka], 20), len(zwp), len(wu),
                "; ".join("frames %d->%d, %.2f s" % s for s in stalls) or "none"))
        T[name] = {"stream": st, "zero_window_frames": [r.num for r in zw],
                   "keep_alive_probe_frames": [r.num for r in ka],
                   "window_full": len(wf), "window_update": len(wu),
                   "stalls": [[s[0], s[1], round(s[2], 3)] for s in stalls]}
    syn = [r for r in rows_of[B] if r.tcp and r.flags & SYN and r.flags & ACK]
    if syn:
        doc("* The server's SYN-ACK advertises window %s with window scale shift %s "
            "(SO_RCVBUF %s set before listen()); the application reads 4 KB every "
            "2 ms and pauses %s (bytes-read:seconds)." % (
                syn[0].s("tcp.window_size_value"), syn[0].s("tcp.options.wscale.shift") or "0",
                meta.get("server_rcvbuf"), meta.get("pauses")))
    truth[scen] = T


def analyse_rst(doc, scen, meta, files, rows_of, truth):
    T = {}
    for name in ("node-eth0", "server-eth0"):
        f = "%s.%s.pcap" % (scen, name)
        if f not in rows_of:
            continue
        rows = rows_of[f]
        streams = collections.OrderedDict()
        for r in rows:
            if r.tcp:
                streams.setdefault(r.stream, []).append(r)
        desc = []
        for st, rs in streams.items():
            syn = rs[0]
            dport = syn.i("tcp.dstport")
            rst = [r for r in rs if r.flags & RST]
            fins = [r for r in rs if r.flags & FIN]
            data = sum(r.seglen for r in rs)
            if dport == meta["closed_port"]:
                kind = "refused: SYN (frame %d) answered by RST/ACK (frame %d)" % (
                    syn.num, rst[0].num if rst else -1)
            elif rst and rst[0].src == meta["client"]:
                got = sum(r.seglen for r in rs if r.src == meta["server"] and r.num < rst[0].num)
                kind = ("aborted by the CLIENT mid-stream: close() with SO_LINGER {1,0} "
                        "sends RST/ACK in frame %d after the server had sent %d bytes "
                        "while more was still coming; no FIN" % (rst[0].num, got))
            elif rst:
                kind = ("aborted by the SERVER: it closed the socket with %d unread "
                        "request bytes in its receive queue, so the kernel sent "
                        "RST/ACK (frame %d) instead of FIN" % (
                            sum(r.seglen for r in rs if r.src == meta["client"]) - 4, rst[0].num))
            else:
                kind = "normal"
            desc.append("stream %d (client port %s -> %s): %s; %d frames, %d data bytes, FINs: %d." % (
                st, syn.s("tcp.srcport"), dport, kind, len(rs), data, len(fins)))
            T.setdefault(name, {})[st] = {"kind": kind.split(":")[0], "frames": [r.num for r in rs],
                                          "rst_frames": [r.num for r in rst]}
        doc("* %s: %d frames, %d TCP streams:" % (name, len(rows), len(streams)))
        for d in desc:
            doc("  * " + d)
        doc("  * tshark flags: %s." % fmt_counts(flag_counts(rows)))
    truth[scen] = T


def analyse_many(doc, scen, meta, files, rows_of, truth):
    f = "%s.node-eth0.pcap" % scen
    rows = rows_of[f]
    streams = collections.defaultdict(list)
    for r in rows:
        if r.tcp:
            streams[r.stream].append(r)
    complete = 0
    rsts = 0
    for st, rs in streams.items():
        fl = [r.flags for r in rs]
        has_syn = any(x & SYN and not x & ACK for x in fl)
        has_synack = any(x & SYN and x & ACK for x in fl)
        fins = sum(1 for x in fl if x & FIN)
        rsts += sum(1 for x in fl if x & RST)
        if has_syn and has_synack and fins >= 2:
            complete += 1
    # concurrency: max streams open at once (SYN .. last frame)
    ev = []
    for st, rs in streams.items():
        ev.append((rs[0].t, 1))
        ev.append((rs[-1].t, -1))
    ev.sort()
    cur = mx = 0
    for _, d in ev:
        cur += d
        mx = max(mx, cur)
    sizes = collections.Counter(len(rs) for rs in streams.values())
    doc("* `%s`: %d frames, **%d TCP streams** (tcp.stream 0-%d), %d of them complete "
        "(SYN, SYN-ACK, data both ways, FIN from both sides); RST frames: %d. Up to %d "
        "streams overlap in time (%d client threads). Frames per stream: %s. "
        "Duration %.2f s. tshark flags: %s." % (
            f, len(rows), len(streams), max(streams) if streams else -1, complete, rsts,
            mx, meta.get("concurrency"), dict(sorted(sizes.items())),
            rows[-1].t - rows[0].t, fmt_counts(flag_counts(rows))))
    truth[scen] = {"file": f, "streams": len(streams), "complete": complete, "rst_frames": rsts,
                   "max_overlap": mx}


# ------------------------------------------------------------ the kinds users send
def _log(meta, key, event):
    return next((x for x in meta.get(key) or [] if x.get("event") == event), {})


def analyse_kinds(doc, scen, meta, files, rows_of, truth):
    """The facts of the scenarios made for the kinds of capture users send, from the meta file's
    kernel counters and the node's capture."""
    A = "%s.node-eth0.pcap" % scen
    rows = rows_of.get(A, [])
    retr = [r.num for r in rows if r.has("retransmission") or r.has("fast_retransmission")
            or r.has("spurious_retransmission")]
    T = {"node_nft_counters": meta.get("node_nft_counters"), "client_nstat": meta.get("client_nstat"),
         "tshark_retransmission_frames_A": retr}
    if scen == "stall-at-end":
        done = _log(meta, "client_log", "stall-done")
        stop = float(meta.get("capture_stopped_at") or 0) - float(done.get("t_sent") or 0)
        ticks = [t for t in done.get("ticks", []) if t["t"] <= stop]
        at = ticks[-1] if ticks else {}
        T.update({"kernel_at_capture_stop": at, "outcome": done.get("outcome"),
                  "fin_rst_A": [r.num for r in rows if r.tcp and r.flags & 0x05]})
        doc("* The client's request is never acknowledged: the kernel had retransmitted it %s times "
            "when the capture stopped (tcp_info, state %s = established, %s byte(s) unacked), "
            "and kept retrying after it; no FIN or RST in `%s` (%s); the node's drop rule: %s." % (at.get("total_retrans"), at.get("state"), at.get("unacked"), A,
                                  rng(T["fin_rst_A"]) or "none", "; ".join(meta.get("node_nft_counters") or [])))
    elif scen == "spurious-rto":
        c, sv = meta.get("client_nstat") or {}, meta.get("server_nstat") or {}
        T.update({"server_nstat": sv, "wire_stall": (meta.get("wire") or {}).get("stall")})
        doc("* Nothing was dropped (no nftables rule; the wire held %s frame(s) for %s ms and dropped "
            "none). The sender retransmitted %s segment(s) after %s RTO(s); the receiver sent %s "
            "D-SACK(s) (TCPDSACKOldSent) and the sender got %s (TCPDSACKRecv); TCPLossUndo %s, "
            "TCPSpuriousRTOs %s. tshark's retransmissions in `%s`: frames %s." % (
                (T["wire_stall"] or {}).get("held"), (T["wire_stall"] or {}).get("ms"),
                c.get("TcpRetransSegs"), c.get("TcpExtTCPTimeouts"), sv.get("TcpExtTCPDSACKOldSent"),
                c.get("TcpExtTCPDSACKRecv"), c.get("TcpExtTCPLossUndo"), c.get("TcpExtTCPSpuriousRTOs"),
                A, rng(retr) or "none"))
    elif scen == "blackhole-wide":
        big = [r.num for r in rows if r.tcp and r.iplen and r.iplen > int(meta["path_mtu"])]
        small = max((r.iplen for r in rows if r.tcp and r.iplen and r.iplen <= int(meta["path_mtu"])), default=0)
        T.update({"path_mtu": int(meta["path_mtu"]), "oversized_frames_A": big, "largest_delivered_A": small})
        doc("* Tunnel MTU **%s**: the packets above it (frames %s of `%s`) never arrive and no ICMP "
            "reaches the client (the node's rules: %s); the largest packet that got through is %d "
            "bytes, so a capture can only bracket the path MTU between %d and the smallest lost "
            "size less one." % (meta["path_mtu"], rng(big), A, "; ".join(meta.get("node_nft_counters") or []), small, small))
    elif scen == "capture-gaps":
        T.update({"left_out_of_capture": meta.get("left_out_of_capture"),
                  "capture_filter": meta.get("capture_filter")})
        doc("* No loss in the network (no drop rule; TcpRetransSegs %s). The node's capture left out "
            "%s of the %s packets the unfiltered capture at the same point saw (filter `%s`): the "
            "receiver acknowledges data `%s` never shows." % (
                (meta.get("client_nstat") or {}).get("TcpRetransSegs"), meta.get("left_out_of_capture"),
                meta.get("frames_full_capture"), meta.get("capture_filter"), A))
    elif scen == "offload-copies":
        big = [r.num for r in rows if r.tcp and r.iplen and r.iplen > 1500]
        T.update({"super_segments_A": big, "client_offloads": meta.get("client_offloads")})
        doc("* The sender's TSO made %d super-segment(s) of more than 1500 bytes (frames %s of `%s`); "
            "the node sent them on cut into MTU-sized segments (the `-i any` capture has both); "
            "no retransmission (TcpRetransSegs %s), no drop rule." % (
                len(big), rng(big), A, (meta.get("client_nstat") or {}).get("TcpRetransSegs")))
    truth[scen] = T


KIND_TEXT = {
    "stall-at-end": lambda m, dl: (
        "IPv4: a framed RPC client makes %s requests on one connection; then the node drops "
        "everything from the client, which sends one more request and retransmits it with back-off; "
        "the captures stop %s s after that request, while the client is still retrying "
        "(a **stall in progress at capture end**); %s." % (m.get("requests"), m.get("capture_after_stall_s"), dl)),
    "spurious-rto": lambda m, dl: (
        "IPv4 bulk transfer of %s bytes paced at %s B/s; after %s data frames the wire holds the "
        "client's frames for %s ms (a **delay spike**, nothing dropped): the sender's RTO fires "
        "although nothing was lost, and the receiver D-SACKs the duplicates; %s." % (
            m.get("bytes"), m.get("pacing_bytes_per_s"), m.get("stall_after_frames"), m.get("stall_ms"), dl)),
    "capture-gaps": lambda m, dl: (
        "IPv4 clean bulk transfer of %s bytes captured at the node through the filter `%s`: "
        "**packets missing from the capture but not from the network**; %s." % (
            m.get("bytes"), m.get("capture_filter"), dl)),
    "offload-copies": lambda m, dl: (
        "IPv4 bulk transfer of %s bytes from a sender with **TSO/GSO on**: super-segments at the "
        "node's eth0, their MTU-sized pieces on tunl0 (`tcpdump -i any`) and at the server; %s." % (
            m.get("bytes"), dl)),
}


# ------------------------------------------------------------ README text
INTRO = """# Real TCP captures: PMTU black hole, loss/SACK, zero window, resets, scale

{title}

Every packet in these files was produced by the Linux kernel's own TCP/IP stack
(kernel {kernel}) and captured by tcpdump ({tcpdump}) or dumpcap; nothing was
synthesised. A few files re-wrap those real packets in tunnel headers or change
the file's byte order (scapy's pcap writer), leaving the original packets
byte-for-byte intact; they are listed as variants below.

## Topology

Four network namespaces (five with the delay element) joined by veth pairs,
with real kernel routing between them:

```
   cli ---------- node ========== far ------[wire]------ srv
      eth0    eth0    tunl0   tunl0    eth1           eth0
   MTU 1500   1500    X       X        1500           1500
```

| namespace | role | interface | IPv4 | IPv6 (IPv6 scenarios) | MTU |
|---|---|---|---|---|---|
| cli | frontend, TCP client, data sender | eth0 | {C} | {C6} | 1500 |
| node | forwarding node (captures A) | eth0 | {NA} | {NA6} | 1500 |
| node | | tunl0 | {NB} | {NB6} | X (path MTU) |
| far | far end of the tunnel | tunl0 | {FA} | {FA6} | X |
| far | | eth1 | {FB} | {FB6} | 1500 |
| srv | server / pod (captures B) | eth0 | {S} | {S6} | 1500 |

* **cli** is the frontend (the TCP client and the data sender), **srv** the
  server (a pod). **node** forwards between its client-facing `eth0` and
  `tunl0`; **far** forwards between `tunl0` and `eth1`. `tunl0` is a plain veth
  link with the tunnel's MTU (X = the path MTU of the scenario, 1500 where no
  small MTU is involved). srv's own interface has MTU 1500, so it advertises
  MSS 1460 (1440 over IPv6) although the path holds less, exactly like a pod
  whose MTU is larger than the overlay tunnel's.
* **wire**: between far and srv every frame is delayed by a fixed one-way
  delay (copied unchanged and in order from one veth to the next after the
  delay; no drops, no reordering). It gives the captures a realistic RTT;
  the per-scenario delay is listed below.
* Capture point **A** = `node-eth0` (the forwarding node's client-facing NIC,
  where the real case was captured); point **B** = `server-eth0` (the server's
  NIC, behind the delay). A and B of one scenario were captured at the same
  time on the same clock, so their time stamps can be compared directly.
  A client packet dropped in the node is in A and never in B.
* IPv4 addresses are from 198.18.0.0/15, IPv6 from 2001:2::/48 (both
  benchmarking ranges). Neighbour entries are static, so there is no ARP/ND
  traffic; IPv6 is disabled in the IPv4-only scenarios.
* Stock Linux TCP settings in cli and srv, set explicitly: CUBIC, SACK,
  timestamps, window scaling, ECN only when asked (`tcp_ecn=2`), `tcp_rmem`
  4096/131072/6291456, `tcp_wmem` 4096/16384/4194304, PMTU discovery on (DF
  set on every IPv4 packet), `tcp_mtu_probing=0`. NIC offloads
  (TSO/GSO/GRO, checksum offload) are off on every interface, so each frame is
  one real on-the-wire segment no larger than the MTU, with valid checksums.
* Loss and the ICMP black hole are netfilter rules in the node: random loss in
  the FORWARD hook (`numgen random mod 1000 < N`, only packets longer than 200
  bytes, i.e. data segments), and ICMP "fragmentation needed" / ICMPv6 "Packet
  Too Big" dropped in the node's OUTPUT hook (the node creates them, they never
  leave it).

## Oracle files

Each capture `F` has `F.tshark.tsv`, tshark's own per-frame analysis:
`tshark -r F -n -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=, -e <fields>`
with default preferences (relative sequence numbers, sequence analysis on).
tshark version: **{tshark}** (Debian 12's 4.0.x)
Columns: {fields}.
Flags (`tcp.analysis.*`) are `1` when set and empty otherwise. A field that
occurs more than once in a frame is comma-separated: for tunnelled frames
`ip.src`/`ip.dst`/`ip.len` are `outer,inner`; for ICMP errors they are
`icmp-carrier,quoted-packet`; several SACK blocks give several `sack_le`/`sack_re`
values. `tcp.seq`/`tcp.ack` are relative, `tcp.seq_raw`/`tcp.ack_raw` absolute.
`tcp.window_size` is the scaled window.

Each scenario also has `<scenario>.meta.json`: its parameters, the node's
netfilter counters, the delay element's frame counters and what the client
and server programs reported (including the kernel's `tcp_info` counters).
`ground-truth.json` holds the facts below in machine-readable form.

## Files
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--profile", default="main")
    ap.add_argument("--tshark-version", default="")
    ap.add_argument("--tcpdump-version", default="")
    ap.add_argument("--kernel", default="")
    ap.add_argument("--fields", default="")
    a = ap.parse_args()
    d = a.dir
    names = sorted(x for x in os.listdir(d) if re.search(r"\.(pcap|pcapng|pcap\.gz)$", x))
    rows_of = {n: load(os.path.join(d, n + ".tshark.tsv")) for n in names
               if os.path.exists(os.path.join(d, n + ".tshark.tsv"))}
    metas = {}
    for x in os.listdir(d):
        if x.endswith(".meta.json"):
            metas[x[:-len(".meta.json")]] = json.load(open(os.path.join(d, x)))
    doc = Doc()
    m0 = next(iter(metas.values()), {})
    title = ("**Main set.**" if a.profile == "main" else
             "**HOLD-OUT set**: same generator, different parameters (MTUs, "
             "addresses, ports, application pattern, loss rates, delays, "
             "tunnel types) from the main set. Use it only to check a tool "
             "built against the main set.")
    some = next((m for m in metas.values() if m.get("client", "").count(".") == 3), {})
    some6 = next((m for m in metas.values() if ":" in m.get("client", "")), {})
    c6 = some6.get("client", "")
    def v6a(tail):
        # client is <prefix>:<k>1::2 -> swap in the subnet/host of `tail`
        if not c6:
            return "-"
        head = c6.split("::")[0]            # e.g. 2001:2:0:11 or 2001:2:0:1
        grp = head.rsplit(":", 1)
        sub, host = tail.split("::")
        return "%s:%s%s::%s" % (grp[0], grp[1][:-1], sub, host)
    c = some.get("client", "198.18.1.2")
    pre = c.rsplit(".", 2)[0]
    doc(INTRO.format(title=title, kernel=a.kernel, tcpdump=a.tcpdump_version,
                     tshark=a.tshark_version, fields=", ".join("`%s`" % f for f in a.fields.split()),
                     C=pre + ".1.2", NA=pre + ".1.1", NB=pre + ".2.1", FA=pre + ".2.2",
                     FB=pre + ".3.1", S=pre + ".3.2",
                     C6=v6a("1::2"), NA6=v6a("1::1"), NB6=v6a("2::1"), FA6=v6a("2::2"),
                     FB6=v6a("3::1"), S6=v6a("3::2")).rstrip("\n"))
    doc()
    doc("| file | bytes | format | link type | frames | TCP streams |")
    doc("|---|---:|---|---|---:|---:|")
    for n in names:
        rows = rows_of.get(n, [])
        streams = len(set(r.stream for r in rows if r.tcp))
        doc("| `%s` | %d | %s | %s | %d | %d |" % (
            n, os.path.getsize(os.path.join(d, n)), file_kind(n), link_kind(n, rows), len(rows), streams))
    doc()
    truth = {}
    head = doc
    doc = Doc()          # scenario sections; the summary goes before them
    scens = sorted(metas, key=lambda s: SCEN_ORDER.index(s) if s in SCEN_ORDER else 99)
    for scen in scens:
        meta = metas[scen]
        files = [n for n in names if n.startswith(scen + ".")]
        doc("## %s" % scen)
        doc()
        fam = "IPv6" if str(meta.get("family")) == "6" else "IPv4"
        doc(scenario_text(scen, meta, fam))
        doc()
        doc("Files: " + ", ".join("`%s`" % f for f in files) + ".")
        doc()
        doc("Ground truth:")
        doc()
        try:
            if scen.startswith("pmtu"):
                truth["_meta_links"] = meta.get("node_links") or {}
                st, cport = analyse_pmtu(doc, scen, meta, files, rows_of, truth)
                analyse_variants(doc, scen, files, rows_of, truth, st, cport)
            elif scen.startswith(("random-loss", "clean-bulk")):
                analyse_bulk(doc, scen, meta, files, rows_of, truth)
                analyse_variants(doc, scen, files, rows_of, truth, None, None)
            elif scen == "zero-window":
                analyse_zero_window(doc, scen, meta, files, rows_of, truth)
            elif scen == "rst-and-refused":
                analyse_rst(doc, scen, meta, files, rows_of, truth)
            elif scen == "many-streams":
                analyse_many(doc, scen, meta, files, rows_of, truth)
            elif scen in KINDS:
                analyse_kinds(doc, scen, meta, files, rows_of, truth)
            for f in files:
                if not f.endswith((".node-eth0.pcap", ".server-eth0.pcap")):
                    continue
                ff = [r.num for r in rows_of.get(f, []) if r.tcp and r.last("tcp.checksum").lower() == "0xffff"]
                if ff:
                    doc("* `%s` (and its variants): frame(s) %s carry the TCP checksum "
                        "value 0xFFFF. It is correct: the computed checksum was zero and "
                        "the kernel writes zero as 0xFFFF (the same value in one's "
                        "complement); the receiver accepted it. tshark's optional "
                        "checksum check flags it (RFC 1624 note); a checksum validator "
                        "must accept it." % (f, rng(ff)))
        except (KeyError, StopIteration, ValueError, IndexError) as e:
            doc("* (analysis failed: %r)" % (e,))
            raise
        doc()
    doc(TAIL)
    truth.pop("_meta_links", None)
    summary(head, scens, metas, truth)
    head.lines.extend(doc.lines)
    doc = head
    json.dump(truth, open(os.path.join(d, "ground-truth.json"), "w"), indent=1, sort_keys=True)
    sys.stdout.write(doc.text())


def summary(doc, scens, metas, truth):
    """one line per scenario: where to look and what must be found"""
    doc("## At a glance")
    doc()
    doc("| scenario | what a correct tool must find (details below) |")
    doc("|---|---|")
    for scen in scens:
        m, T = metas[scen], truth.get(scen, {})
        if scen.startswith("pmtu"):
            segs = T.get("oversized_segments", [])
            if str(m.get("icmp_dropped")) == "1":
                line = ("PMTU black hole, path MTU %s: stream %s; oversized %s packets "
                        "of %s bytes in node-eth0 frames %s, never in server-eth0, never "
                        "ACKed (%d retransmissions); SACK shows the hole; connection dies "
                        "(client %s), no ICMP in the capture." % (
                            m["path_mtu"], T.get("stream_A"),
                            "IPv6" if str(m.get("family")) == "6" else "DF",
                            "/".join(sorted(set(str(s["ip_len"]) for s in segs))),
                            rng(T.get("oversized_frames_A", [])),
                            sum(s["retransmissions"] for s in segs), T.get("client_outcome")))
            else:
                line = ("PMTU discovery working, path MTU %s: oversized frame(s) %s "
                        "answered by ICMP frame(s) %s; data re-sent in smaller "
                        "segments and fully delivered." % (
                            m["path_mtu"], rng(T.get("oversized_frames_A", [])),
                            rng(T.get("icmp_frames_A", []))))
        elif scen.startswith("random-loss"):
            line = ("%d client data packets dropped at random (node-eth0 frames %s), "
                    "all recovered by retransmission (%d by the kernel's count), with "
                    "SACK and duplicate ACKs; %d sequence holes at server-eth0; all "
                    "data delivered." % (T.get("dropped_by_router", 0),
                                          rng(T.get("client_frames_seen_A_not_B", []), 8),
                                          T.get("client_total_retrans") or 0,
                                          len(T.get("holes_B", []))))
        elif scen.startswith("clean-bulk"):
            fl = dict(T.get("flags_node-eth0", {}))
            fl.update({k: v for k, v in T.get("flags_server-eth0", {}).items()})
            bad = {k: v for k, v in fl.items() if k not in ("window_update",)}
            line = ("no problem: %d retransmissions, %d sequence holes; tshark "
                    "flags besides window updates: %s (baseline for false positives)." % (
                        T.get("client_total_retrans") or 0, len(T.get("holes_B", [])),
                        fmt_counts(bad)))
        elif scen == "zero-window":
            z = T.get("server-eth0", {})
            line = ("receiver window goes to zero %d time(s) (%s); probes in frames %s; "
                    "transfer completes." % (
                        len(z.get("stalls", [])),
                        "; ".join("frames %d->%d, %.1f s" % tuple(s) for s in z.get("stalls", [])),
                        rng(z.get("keep_alive_probe_frames", []))))
        elif scen == "rst-and-refused":
            a = T.get("node-eth0", {})
            line = "; ".join("stream %s %s (RST frame %s)" % (
                st, v["kind"].replace("aborted by the ", "reset by ").lower(),
                ",".join(str(x) for x in v["rst_frames"])) for st, v in a.items()) + "."
        elif scen == "many-streams":
            line = ("%d streams, all complete and clean (stream list / scale)." % T.get("streams", 0))
        elif scen == "stall-at-end":
            line = ("a stall in progress when the capture stops: the request retransmitted %s times "
                    "(kernel), never acknowledged, no FIN/RST." % (T.get("kernel_at_capture_stop") or {}).get("total_retrans"))
        elif scen == "spurious-rto":
            line = ("%s spurious retransmission(s) after a delay spike, each D-SACKed; nothing lost." %
                    (T.get("client_nstat") or {}).get("TcpRetransSegs"))
        elif scen == "blackhole-wide":
            line = ("PMTU black hole behind a %s-byte tunnel; largest delivered %s bytes (a wide bracket)." % (
                T.get("path_mtu"), T.get("largest_delivered_A")))
        elif scen == "capture-gaps":
            line = ("no loss; %s data segments missing from the node's capture only." % T.get("left_out_of_capture"))
        elif scen == "offload-copies":
            line = ("%d TSO super-segments and their MTU-sized pieces; no retransmission, no loss." %
                    len(T.get("super_segments_A") or []))
        else:
            line = ""
        doc("| %s | %s |" % (scen, line))
    doc()


def scenario_text(scen, m, fam):
    delay = m.get("one_way_delay_us")
    dl = ("one-way delay of the wire: %s us (RTT about %.1f ms)" % (delay, 2 * int(delay) / 1000.0)
          if delay and int(delay) > 0 else "no delay element (far and srv directly linked)")
    if scen in KINDS and scen != "blackhole-wide":
        return KIND_TEXT[scen](m, dl)
    if scen.startswith("pmtu") or scen == "blackhole-wide":
        bh = str(m["icmp_dropped"]) == "1"
        chunks = m["big_chunks"]
        return (
            "%s. Path MTU (node->far `tunl0`) **%s**; %s. A framed RPC client "
            "(4-byte big-endian length + body, like Thrift's framed transport; "
            "TCP_NODELAY) on %s connects to %s:%s and makes %s small request/response "
            "exchanges (request bodies %s bytes, %s), then one large request whose "
            "body is written as %s byte(s) (%s). %s The client socket has "
            "TCP_USER_TIMEOUT %s ms; the server closes after %s s without progress." % (
                fam, m["path_mtu"], dl, m["client"], m["server"], m["port"], m["small_n"],
                m["small_sizes"],
                "length prefix written separately, so it is its own 4-byte segment"
                if str(m.get("prefix_separate")) == "1" else "length prefix in the same write as the body",
                chunks, "one write per number" if "," in chunks else "one write; the kernel cuts it into MSS-sized segments",
                ("The node cannot forward packets larger than the path MTU: it "
                 "creates %s and its firewall DROPS it, so the sender never learns "
                 "(**PMTU black hole**)." % ("ICMPv6 Packet Too Big" if fam == "IPv6" else
                                             "ICMP type 3 code 4 (fragmentation needed, DF set)"))
                if bh else
                ("ICMP is allowed: the node's %s reaches the client, which lowers "
                 "its path MTU and re-sends (**PMTU discovery working**, the contrast case)." % (
                     "Packet Too Big" if fam == "IPv6" else "fragmentation-needed")),
                m.get("user_timeout_ms"), m.get("server_idle_s")))
    if scen.startswith("random-loss"):
        return ("%s bulk transfer client -> server with **random loss** in the node: "
                "%s per mille of the client's data packets dropped%s; %s." % (
                    fam, m["loss_permille"],
                    (", %s per mille of the server's packets too" % m["reverse_loss_permille"])
                    if int(m.get("reverse_loss_permille") or 0) else "", dl))
    if scen.startswith("clean-bulk"):
        return "%s bulk transfer client -> server, **no loss** (the clean baseline); %s." % (fam, dl)
    if scen == "zero-window":
        return ("IPv4 transfer of %s bytes to a server with a tiny receive buffer "
                "(SO_RCVBUF %s) that reads slowly and stops reading for a few seconds "
                "twice, so its window fills and drops to **zero**; the sender probes "
                "(persist timer) until the window opens again; %s." % (
                    m["bytes"], m["server_rcvbuf"], dl))
    if scen == "rst-and-refused":
        return ("IPv4: %s connection attempts to the closed port %s (**refused**: "
                "RST/ACK answers the SYN); then a connection **aborted by the client** "
                "mid-stream (SO_LINGER {1,0} + close() while the server is still "
                "sending); then a connection **reset by the server**, which closes "
                "while unread request data is queued; %s." % (
                    "Two", m["closed_port"], dl))
    if scen == "many-streams":
        return ("IPv4: **%s short connections** (connect, one framed request, one "
                "response, client closes first, server closes), %s at a time; %s." % (
                    m["conns"], m["concurrency"], dl))
    return ""


TAIL = """## Notes for tool authors

* The frame numbers above are 1-based, as in tshark/Wireshark; "relative seq"
  is tshark's relative sequence number (0 = ISN).
* To check "seen at A, never at B", match packets of one scenario's A and B
  files by TCP source port, raw sequence number, payload length and TSval
  (the IP ID also matches for IPv4); addresses and ports are not translated.
* tshark is the reference for per-frame flags, but its labels are heuristics:
  e.g. a retransmission arriving within one RTT of the highest segment is
  "out-of-order", Linux zero-window probes look like keep-alives, and in the
  `-i any` / two-interface files every forwarded packet is seen twice.
"""

if __name__ == "__main__":
    main()
