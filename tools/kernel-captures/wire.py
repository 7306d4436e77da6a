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
    print(json.dumps({"event": "wire-up", "delay_us": a.delay_us}), flush=True)
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
