#!/usr/bin/python3
"""A 'long cable': copies Ethernet frames between two interfaces, each
frame sent out DELAY microseconds after it arrived, unchanged, in order.

It stands in for the one-way delay a WAN emulator would add (the kernel
used here has no netem). Both TCP ends stay the real kernel stacks; this
program neither drops, reorders nor modifies frames. It runs inside its own
namespace whose interfaces have no addresses, exits by itself after --limit
seconds or on SIGTERM, and prints one JSON line with frame counters and the
kernel's packet-socket drop counters (which must be 0).

  wire.py --a w0 --b w1 --delay-us 5000 --limit 120

A delay spike (the cable "stalls", as a congested or re-routing path does):
--stall-after N --stall-ms M holds every frame of the a->b direction that
arrives during M milliseconds, starting when the N-th a->b frame arrives, and
sends them (still in order, still unchanged, none dropped) when the stall
ends, each plus the fixed delay. --stall-dir b2a or both stalls the other
direction or both. The report gives the stall's start, end and the frames it
held.

  wire.py --a w0 --b w1 --delay-us 5000 --stall-after 120 --stall-ms 1000

A host with a TCP timestamp clock of its own (--ts-shift-ms N, the one
exception to "unchanged"): in IPv4 TCP frames from a to b the TSval is set N
behind, in frames from b to a the TSecr N ahead again (checksum recomputed),
so the host on side a looks to the far side like a host whose clock lags by N
milliseconds, and still sees its own values echoed.

  wire.py --a w0 --b w1 --delay-us 100 --ts-shift-ms 3600000
"""
import argparse
import collections
import json
import os
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_STATISTICS = 6
PACKET_IGNORE_OUTGOING = 23
SO_RCVBUFFORCE = 33
SO_SNDBUFFORCE = 32


def open_if(name):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20)
    s.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, 8 << 20)
    s.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
    s.bind((name, ETH_P_ALL))
    s.setblocking(False)
    return s


def csum(data):
    if len(data) % 2:
        data += b"\0"
    t = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff


def ts_shift(frame, shift, field):
    """The frame with its TCP timestamp option's TSval (field 0) or TSecr (field 1) moved by
    `shift` (mod 2^32) and the TCP checksum recomputed; other frames unchanged."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return frame
    ihl = (frame[14] & 15) * 4
    tot = struct.unpack("!H", frame[16:18])[0]
    t = 14 + ihl
    if len(frame) < t + 20 or len(frame) < 14 + tot:
        return frame
    thl = (frame[t + 12] >> 4) * 4
    o, end = t + 20, t + thl
    while o < end:
        kind = frame[o]
        if kind == 0:
            break
        if kind == 1:
            o += 1
            continue
        if o + 1 >= end or frame[o + 1] < 2:
            break
        if kind == 8 and frame[o + 1] == 10:
            f = bytearray(frame[:14 + tot])
            at = o + 2 + 4 * field
            v = (struct.unpack("!I", f[at:at + 4])[0] + shift) & 0xffffffff
            f[at:at + 4] = struct.pack("!I", v)
            f[t + 16:t + 18] = b"\0\0"
            seg = bytes(f[t:14 + tot])
            pseudo = bytes(f[26:34]) + struct.pack("!BBH", 0, 6, len(seg))
            f[t + 16:t + 18] = struct.pack("!H", csum(pseudo + seg))
            return bytes(f) + frame[14 + tot:]
        o += frame[o + 1]
    return frame


def stats(s):
    try:
        pk, drops = struct.unpack("II", s.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8))
        return {"packets": pk, "drops": drops}
    except OSError:
        return {}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--delay-us", type=int, required=True)
    ap.add_argument("--limit", type=float, default=120)
    ap.add_argument("--stall-after", type=int, default=0,
                    help="start the stall at the N-th frame of the stalled direction (0: never)")
    ap.add_argument("--stall-ms", type=float, default=0)
    ap.add_argument("--stall-dir", choices=["a2b", "b2a", "both"], default="a2b")
    ap.add_argument("--ts-shift-ms", type=int, default=0,
                    help="TSval of a->b frames N behind, TSecr of b->a frames N ahead")
    a = ap.parse_args()

    stop = [False]

    def _stop(signum, frame):
        stop[0] = True
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    deadline = time.monotonic() + a.limit

    sa, sb = open_if(a.a), open_if(a.b)
    peer = {sa.fileno(): sb, sb.fileno(): sa}
    name = {sa.fileno(): a.a + ">" + a.b, sb.fileno(): a.b + ">" + a.a}
    # one FIFO per direction (due, out_socket, frame): a stall of one
    # direction never holds the other back
    qs = {sa.fileno(): collections.deque(), sb.fileno(): collections.deque()}
    delay = a.delay_us / 1e6
    stalled = {"a2b": [sa.fileno()], "b2a": [sb.fileno()],
               "both": [sa.fileno(), sb.fileno()]}[a.stall_dir]
    seen_stalled = 0                 # frames of the stalled direction(s) so far
    stall = None                     # [start, end] (monotonic) once it began
    stall_info = {"after": a.stall_after, "ms": a.stall_ms, "dir": a.stall_dir,
                  "held": 0, "start_wall": None, "end_wall": None}
    count = collections.Counter()
    send_err = collections.Counter()
    po = select.poll()
    po.register(sa, select.POLLIN)
    po.register(sb, select.POLLIN)
    print(json.dumps({"event": "wire-up", "delay_us": a.delay_us, "ts_shift_ms": a.ts_shift_ms}), flush=True)
    while not stop[0] and time.monotonic() < deadline:
        now = time.monotonic()
        heads = [q[0][0] for q in qs.values() if q]
        timeout = 50 if not heads else max(0.0, (min(heads) - now) * 1000.0)
        for fd, _ev in po.poll(timeout):
            s = sa if fd == sa.fileno() else sb
            while True:
                try:
                    frame = s.recv(65536)
                except BlockingIOError:
                    break
                t = time.monotonic()
                due = t + delay
                if a.stall_after and a.stall_ms > 0 and fd in stalled:
                    seen_stalled += 1
                    if stall is None and seen_stalled >= a.stall_after:
                        stall = [t, t + a.stall_ms / 1000.0]
                        stall_info["start_wall"] = time.time()
                        stall_info["end_wall"] = stall_info["start_wall"] + a.stall_ms / 1000.0
                    if stall is not None and stall[0] <= t < stall[1]:
                        due = stall[1] + delay
                        stall_info["held"] += 1
                if a.ts_shift_ms:
                    frame = ts_shift(frame, -a.ts_shift_ms, 0) if fd == sa.fileno() else ts_shift(frame, a.ts_shift_ms, 1)
                q = qs[fd]
                if q and due < q[-1][0]:
                    due = q[-1][0]       # in order: never before an earlier frame
                q.append((due, peer[fd], frame))
                count[name[fd]] += 1
        now = time.monotonic()
        for q in qs.values():
            while q and q[0][0] <= now:
                _due, out, frame = q.popleft()
                try:
                    out.send(frame)
                except OSError as e:
                    send_err[str(e)] += 1
    # flush what is still in flight, then report
    for q in qs.values():
        for _due, out, frame in q:
            try:
                out.send(frame)
            except OSError:
                pass
    print(json.dumps({"event": "wire-done", "frames": dict(count),
                      "send_errors": dict(send_err), "stall": stall_info,
                      "socket_stats": {a.a: stats(sa), a.b: stats(sb)}}), flush=True)


if __name__ == "__main__":
    main()
