#!/usr/bin/python3
"""Small TCP client/server programs that drive the capture scenarios.

Standard library only.  Every mode is bounded: a fixed number of
connections / bytes, and a hard wall-clock limit (SIGALRM) after which the
process exits by itself.  Each mode prints one JSON line with what it did
(ports, byte counts, kernel TCP_INFO counters) so the generator can record
ground truth next to the captures.

Modes (see --help of each):
  rpc-server / rpc-client   framed request/response (4-byte big-endian length
                            prefix + body, like Thrift's framed transport)
  bulk-server / bulk-client one-way bulk transfer client -> server
  rst-server / rst-client   refused connection + two kinds of aborts (RST)
  many-server / many-client N short request/response/close connections
  stall-client              framed requests, a pause (the harness starts
                            dropping the client's packets then), one more
                            request left unanswered: tcp_info every 0.5 s
"""
import argparse
import errno
import fcntl
import json
import os
import signal
import socket
import struct
import sys
import threading
import time

SO_MAX_PACING_RATE = getattr(socket, "SO_MAX_PACING_RATE", 47)
SIOCOUTQ = 0x5411                                 # linux/sockios.h (TIOCOUTQ)
TCP_USER_TIMEOUT = getattr(socket, "TCP_USER_TIMEOUT", 18)


def hard_limit(seconds):
    """Exit by ourselves after `seconds`, whatever happens."""
    def _bye(signum, frame):
        out({"event": "hard-limit", "seconds": seconds})
        os._exit(3)
    signal.signal(signal.SIGALRM, _bye)
    signal.alarm(int(seconds))


def out(obj):
    sys.stdout.write(json.dumps(obj, sort_keys=True) + "\n")
    sys.stdout.flush()


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def tcp_info(sock):
    """A few fields of struct tcp_info (linux/tcp.h), or {} if unavailable."""
    try:
        raw = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 232)
    except OSError:
        return {}
    # u8 state, ca_state, retransmits, probes, backoff, options, wscale, flags
    # u32 rto, ato, snd_mss, rcv_mss, unacked, sacked, lost, retrans, fackets,
    #     last_data_sent, last_ack_sent, last_data_recv, last_ack_recv,
    #     pmtu, rcv_ssthresh, rtt, rttvar, snd_ssthresh, snd_cwnd, advmss,
    #     reordering, rcv_rtt, rcv_space, total_retrans
    if len(raw) < 104:
        return {}
    b = struct.unpack_from("8B", raw, 0)
    u = struct.unpack_from("24I", raw, 8)
    names = ["rto", "ato", "snd_mss", "rcv_mss", "unacked", "sacked", "lost",
             "retrans", "fackets", "last_data_sent", "last_ack_sent",
             "last_data_recv", "last_ack_recv", "pmtu", "rcv_ssthresh", "rtt",
             "rttvar", "snd_ssthresh", "snd_cwnd", "advmss", "reordering",
             "rcv_rtt", "rcv_space", "total_retrans"]
    info = {"state": b[0], "ca_state": b[1], "retransmits": b[2],
            "probes": b[3], "backoff": b[4]}
    info.update(dict(zip(names, u)))
    if len(raw) >= 216:
        # Linux >= 4.10: the chrono stats, microseconds the socket spent busy sending and limited by
        # the receive window or its own send buffer (linux/tcp.h, struct tcp_info)
        (info["pacing_rate"], info["max_pacing_rate"], info["bytes_acked"],
         info["bytes_received"]) = struct.unpack_from("4Q", raw, 104)
        (info["segs_out"], info["segs_in"], info["notsent_bytes"], info["min_rtt"],
         info["data_segs_in"], info["data_segs_out"]) = struct.unpack_from("6I", raw, 136)
        (info["delivery_rate"], info["busy_time"], info["rwnd_limited"],
         info["sndbuf_limited"]) = struct.unpack_from("4Q", raw, 160)
        info["delivery_rate_app_limited"] = b[7] & 1
        (info["bytes_sent"], info["bytes_retrans"]) = struct.unpack_from("2Q", raw, 200)
    return info


CC = os.environ.get("TCPAPP_CC", "cubic")


def new_socket(fam):
    """TCP socket with the congestion control fixed to CC (stock Linux
    default is CUBIC); accepted sockets inherit it from the listener."""
    s = socket.socket(fam, socket.SOCK_STREAM)
    if CC:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, CC.encode())
    return s


def cc_of(sock):
    try:
        return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b"\0").decode()
    except OSError:
        return "?"


def listen(addr, port, rcvbuf=0, backlog=128):
    s = new_socket(family_of(addr))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        # Set before listen() so the accepted socket inherits it and the
        # window scale negotiated in the SYN-ACK matches the small buffer.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind((addr, port))
    s.listen(backlog)
    return s


def recv_exact(sock, n):
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("peer closed after %d of %d bytes" % (len(buf), n))
        buf += chunk
    return bytes(buf)


def body_bytes(n, tag=b"req"):
    """Deterministic printable payload of n bytes (compresses well)."""
    pat = (tag + b":the-quick-brown-fox-jumps-over-the-lazy-dog-0123456789;")
    return (pat * (n // len(pat) + 1))[:n]


# --------------------------------------------------------------------- rpc
def rpc_server(a):
    hard_limit(a.limit)
    ls = listen(a.bind, a.port)
    out({"event": "listening", "port": a.port})
    for _ in range(a.conns):
        c, peer = ls.accept()
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c.settimeout(a.idle_timeout)
        served, why = 0, "eof"
        try:
            while True:
                hdr = c.recv(4, socket.MSG_WAITALL)
                if len(hdr) < 4:
                    break
                (n,) = struct.unpack("!I", hdr)
                recv_exact(c, n)
                resp = body_bytes(a.resp_size + (served * 7) % 23, b"resp")
                c.sendall(struct.pack("!I", len(resp)) + resp)
                served += 1
        except OSError as e:
            why = ("idle-timeout" if e.errno is None
                   else "error:" + errno.errorcode.get(e.errno, str(e)))
        except EOFError as e:
            why = "error:%s" % e
        info, cc = tcp_info(c), cc_of(c)
        c.close()
        out({"event": "conn-done", "peer": list(peer[:2]), "served": served,
             "why": why, "tcp_info": info, "cc": cc})
    ls.close()


def rpc_client(a):
    hard_limit(a.limit)
    s = new_socket(family_of(a.connect))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if a.user_timeout_ms:
        s.setsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT, a.user_timeout_ms)
    if a.sport:
        s.bind(("::" if ":" in a.connect else "0.0.0.0", a.sport))
    s.connect((a.connect, a.port))
    local = s.getsockname()[:2]
    out({"event": "connected", "local": list(local), "cc": cc_of(s)})
    sizes = [int(x) for x in a.small_sizes.split(",") if x]
    for i in range(a.small):
        n = sizes[i % len(sizes)]
        body = body_bytes(n)
        if a.prefix_separate:
            s.send(struct.pack("!I", n))
            s.sendall(body)
        else:
            s.sendall(struct.pack("!I", n) + body)
        hdr = recv_exact(s, 4)
        recv_exact(s, struct.unpack("!I", hdr)[0])
        out({"event": "small-ok", "i": i, "size": n, "t": time.time()})
        time.sleep(a.gap_ms / 1000.0)
    chunks = [int(x) for x in a.big_chunks.split(",") if x]
    result = {"event": "big", "chunks": chunks, "t_start": time.time()}
    if chunks:
        total = sum(chunks)
        body = body_bytes(total, b"BIG")
        try:
            if a.prefix_separate:
                s.send(struct.pack("!I", total))
                # give the length prefix its own segment, as the
                # application in the original case did
                time.sleep(a.prefix_gap_ms / 1000.0)
                off = 0
            else:
                first = chunks[0]
                s.send(struct.pack("!I", total) + body[:first])
                off = first
                chunks = chunks[1:]
            for n in chunks:
                s.send(body[off:off + n])
                off += n
            s.settimeout(a.wait_s)
            hdr = recv_exact(s, 4)
            recv_exact(s, struct.unpack("!I", hdr)[0])
            result["outcome"] = "response"
        except OSError as e:
            # socket.timeout (errno None) = our own wait expired;
            # ETIMEDOUT = the kernel gave up (TCP_USER_TIMEOUT / retries)
            result["outcome"] = ("app-timeout" if e.errno is None
                                 else errno.errorcode.get(e.errno, str(e)))
        except EOFError as e:
            result["outcome"] = "eof"
    result["t_end"] = time.time()
    result["tcp_info"] = tcp_info(s)
    out(result)
    s.close()


# -------------------------------------------------------------------- bulk
def bulk_server(a):
    hard_limit(a.limit)
    ls = listen(a.bind, a.port, rcvbuf=a.rcvbuf)
    out({"event": "listening", "port": a.port})
    c, peer = ls.accept()
    pauses = []
    for item in (a.pauses.split(",") if a.pauses else []):
        at, dur = item.split(":")
        pauses.append((int(at), float(dur)))
    got = 0
    t0 = time.time()
    if a.initial_pause:
        time.sleep(a.initial_pause)
    while True:
        if pauses and got >= pauses[0][0]:
            out({"event": "pause", "at": got, "seconds": pauses[0][1],
                 "t": time.time()})
            time.sleep(pauses[0][1])
            pauses.pop(0)
        chunk = c.recv(a.read_size)
        if not chunk:
            break
        got += len(chunk)
        if a.read_delay_ms:
            time.sleep(a.read_delay_ms / 1000.0)
    c.sendall(b"OK %d\n" % got)
    info, cc = tcp_info(c), cc_of(c)
    c.close()
    ls.close()
    out({"event": "bulk-received", "bytes": got, "seconds": time.time() - t0,
         "tcp_info": info, "cc": cc})


def bulk_client(a):
    hard_limit(a.limit)
    s = new_socket(family_of(a.connect))
    if a.pacing_rate:
        s.setsockopt(socket.SOL_SOCKET, SO_MAX_PACING_RATE, a.pacing_rate)
    if a.sndbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, a.sndbuf)
    s.connect((a.connect, a.port))
    local = s.getsockname()[:2]
    block = body_bytes(65536, b"bulk")
    left, t0 = a.bytes, time.time()
    while left > 0:
        n = min(left, len(block), a.write_size)
        s.sendall(block[:n])
        left -= n
        if a.write_gap_ms and left > 0:
            time.sleep(a.write_gap_ms / 1000.0)   # an application with nothing to send for a while
    t_written = time.time() - t0
    # wait until every byte written is acknowledged (SIOCOUTQ: unsent + unacknowledged bytes), so
    # the counters read below cover the whole transfer, up to its last ACK (bounded: hard_limit)
    while struct.unpack("i", fcntl.ioctl(s.fileno(), SIOCOUTQ, b"\0" * 4))[0] > 0:
        time.sleep(0.0005)
    t_drained = time.time() - t0
    drained_info = tcp_info(s)                    # the chrono counters of the transfer alone
    if a.idle_before_close:
        time.sleep(a.idle_before_close)
    sent_info = tcp_info(s)                       # before the FIN: the transfer's own counters
    s.shutdown(socket.SHUT_WR)
    reply = b""
    while True:
        chunk = s.recv(100)
        if not chunk:
            break
        reply += chunk
    info, cc = tcp_info(s), cc_of(s)
    s.close()
    out({"event": "bulk-sent", "local": list(local), "bytes": a.bytes,
         "seconds": time.time() - t0, "reply": reply.decode().strip(),
         "tcp_info": info, "tcp_info_before_fin": sent_info, "cc": cc,
         "seconds_written": t_written, "seconds_drained": t_drained, "tcp_info_drained": drained_info})


# --------------------------------------------------------------------- rst
def rst_server(a):
    hard_limit(a.limit)
    ls = listen(a.bind, a.port)
    out({"event": "listening", "port": a.port})
    # connection 1: stream a response until the client aborts it (RST)
    c, peer = ls.accept()
    recv_exact(c, 4)
    sent, why = 0, "done"
    block = body_bytes(1000, b"stream")
    try:
        for _ in range(400):
            c.sendall(block)
            sent += len(block)
            time.sleep(0.005)
    except OSError as e:
        why = errno.errorcode.get(e.errno, str(e))
    c.close()
    out({"event": "conn1", "sent": sent, "why": why})
    # connection 2: read only the 4-byte header, then close with unread
    # data still queued -> the kernel answers with RST instead of FIN
    c, peer = ls.accept()
    recv_exact(c, 4)
    time.sleep(0.3)
    c.close()
    out({"event": "conn2", "closed-with-unread-data": True})
    ls.close()


def rst_client(a):
    hard_limit(a.limit)
    fam = family_of(a.connect)
    res = {"event": "rst-client", "refused": []}
    # 1) connection refused: nobody listens on closed_port -> SYN, RST/ACK
    for i in range(a.refused):
        s = new_socket(fam)
        try:
            s.connect((a.connect, a.closed_port))
            res["refused"].append("connected?!")
        except OSError as e:
            res["refused"].append(errno.errorcode.get(e.errno, str(e)))
        s.close()
        time.sleep(0.2)
    # 2) abort mid-stream with SO_LINGER {on, 0}: close() sends RST
    s = new_socket(fam)
    s.connect((a.connect, a.port))
    res["abort_local"] = list(s.getsockname()[:2])
    s.sendall(b"GET1")
    got = 0
    while got < a.abort_after:
        chunk = s.recv(min(4096, a.abort_after - got))
        if not chunk:
            break
        got += len(chunk)
    res["abort_after_bytes"] = got
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    time.sleep(0.5)
    # 3) the server closes while our request is still unread -> server RST
    s = new_socket(fam)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.connect((a.connect, a.port))
    res["unread_local"] = list(s.getsockname()[:2])
    s.sendall(b"GET2")
    time.sleep(0.05)
    s.sendall(body_bytes(600, b"unread"))
    try:
        data = s.recv(100)
        res["unread_result"] = "eof" if not data else "data"
    except OSError as e:
        res["unread_result"] = errno.errorcode.get(e.errno, str(e))
    s.close()
    out(res)


# -------------------------------------------------------------------- many
def many_server(a):
    hard_limit(a.limit)
    ls = listen(a.bind, a.port, backlog=1024)
    out({"event": "listening", "port": a.port})
    done = [0]
    lock = threading.Lock()

    def serve(c):
        try:
            c.settimeout(5)
            hdr = recv_exact(c, 4)
            recv_exact(c, struct.unpack("!I", hdr)[0])
            resp = body_bytes(a.resp_size, b"resp")
            c.sendall(struct.pack("!I", len(resp)) + resp)
            while c.recv(100):   # wait for the client's FIN
                pass
        except (OSError, EOFError):
            pass
        finally:
            c.close()
            with lock:
                done[0] += 1

    for _ in range(a.conns):
        c, _peer = ls.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()
    deadline = time.time() + 10
    while done[0] < a.conns and time.time() < deadline:
        time.sleep(0.05)
    ls.close()
    out({"event": "many-server", "served": done[0]})


def many_client(a):
    hard_limit(a.limit)
    fam = family_of(a.connect)
    per = [a.conns // a.concurrency + (1 if i < a.conns % a.concurrency else 0)
           for i in range(a.concurrency)]
    ok = [0]
    err = []
    lock = threading.Lock()

    def worker(n, wid):
        for i in range(n):
            try:
                s = new_socket(fam)
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if a.src:
                    s.bind((a.src, 0))
                s.settimeout(a.connect_timeout)
                s.connect((a.connect, a.port))
                size = 20 + (wid * 31 + i * 7) % 200
                s.sendall(struct.pack("!I", size) + body_bytes(size))
                hdr = recv_exact(s, 4)
                recv_exact(s, struct.unpack("!I", hdr)[0])
                s.close()
                with lock:
                    ok[0] += 1
            except (OSError, EOFError) as e:
                with lock:
                    err.append(str(e))
            if a.gap_ms:
                time.sleep(a.gap_ms / 1000)

    ts = [threading.Thread(target=worker, args=(n, i)) for i, n in enumerate(per)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out({"event": "many-client", "ok": ok[0], "errors": err[:5],
         "n_errors": len(err)})


# --------------------------------------------------------------------- nagle
def nagle_server(a):
    """Reads framed requests (4-byte length + body) and answers each; its ACKs are delayed (Linux
    quick-ack mode ends after the first few segments), so a request split in two writes waits."""
    hard_limit(a.limit)
    ls = listen(a.bind, a.port)
    out({"event": "listening", "port": a.port})
    c, peer = ls.accept()
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    served = 0
    t0 = time.time()
    while True:
        hdr = c.recv(4, socket.MSG_WAITALL)
        if len(hdr) < 4:
            break
        (n,) = struct.unpack("!I", hdr)
        recv_exact(c, n)
        c.sendall(body_bytes(a.resp_size, b"resp"))
        served += 1
    info = tcp_info(c)
    c.close(); ls.close()
    out({"event": "nagle-served", "requests": served, "seconds": time.time() - t0, "tcp_info": info})


def nagle_client(a):
    """Each request is written as header, then body, in two send() calls; Nagle holds the body until
    the header is acknowledged. --nodelay 1 turns Nagle off (the control case)."""
    hard_limit(a.limit)
    s = new_socket(family_of(a.connect))
    if a.nodelay:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.connect((a.connect, a.port))
    local = s.getsockname()[:2]
    times = []
    t0 = time.time()
    for i in range(a.requests):
        body = body_bytes(a.req_size, b"req")
        t = time.time()
        s.sendall(struct.pack("!I", len(body)))
        s.sendall(body)
        recv_exact(s, a.resp_size)
        times.append(round((time.time() - t) * 1000, 3))
        if a.gap_ms:
            time.sleep(a.gap_ms / 1000.0)
    while struct.unpack("i", fcntl.ioctl(s.fileno(), SIOCOUTQ, b"\0" * 4))[0] > 0:
        time.sleep(0.0005)
    seconds = time.time() - t0                    # first request to the last byte acknowledged
    info = tcp_info(s)
    s.close()
    out({"event": "nagle-done", "local": list(local), "requests": a.requests, "nodelay": a.nodelay,
         "request_ms": times, "seconds": seconds, "tcp_info": info})


# --------------------------------------------------------------------- dns
def dns_name(buf, off):
    labels = []
    while True:
        n = buf[off]
        if n == 0:
            return ".".join(labels), off + 1
        labels.append(buf[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n


def dns_server(a):
    """A tiny authoritative DNS server over UDP: names in --zone get an A (and AAAA) record; every other
    name is NXDOMAIN. Logs each query it answers."""
    hard_limit(a.limit)
    zone = {}
    for item in a.zone.split(","):
        name, v4 = item.split("=")
        zone[name.lower().rstrip(".")] = v4
    s = socket.socket(family_of(a.bind), socket.SOCK_DGRAM)
    s.bind((a.bind, a.port))
    s.settimeout(1.0)
    out({"event": "listening", "port": a.port})
    t_end = time.time() + a.serve_s
    answered = 0
    while time.time() < t_end:
        try:
            q, peer = s.recvfrom(2048)
        except socket.timeout:
            continue
        if len(q) < 12:
            continue
        qid, flags, qd = struct.unpack("!HHH", q[:6])
        name, off = dns_name(q, 12)
        qtype, qclass = struct.unpack("!HH", q[off:off + 4])
        question = q[12:off + 4]
        key = name.lower().rstrip(".")
        rcode, answers = 0, b""
        if key not in zone:
            rcode = 3
        elif qtype == 1:
            answers = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 30, 4) + socket.inet_aton(zone[key])
        rflags = 0x8000 | 0x0400 | (flags & 0x0100) | 0x0080 | rcode
        an = 1 if answers else 0
        resp = struct.pack("!HHHHHH", qid, rflags, 1, an, 0, 0) + question + answers
        if a.delay_ms:
            time.sleep(a.delay_ms / 1000.0)
        s.sendto(resp, peer)
        answered += 1
        out({"event": "answered", "id": qid, "name": name, "qtype": qtype, "rcode": rcode,
             "peer": list(peer[:2]), "t": time.time()})
    out({"event": "dns-done", "answered": answered})


def dns_client(a):
    """Resolves names through the C library (getaddrinfo, AF_UNSPEC: A and AAAA in parallel, with the
    namespace's resolv.conf: search list, ndots, timeout), one after the other, timing each."""
    hard_limit(a.limit)
    res = []
    for i, name in enumerate(a.names.split(",") * a.rounds):
        t = time.time()
        try:
            addrs = sorted({x[4][0] for x in socket.getaddrinfo(name, 80, 0, socket.SOCK_STREAM)})
            err = None
        except socket.gaierror as e:
            addrs, err = [], str(e)
        res.append({"name": name, "ms": round((time.time() - t) * 1000, 1), "addrs": addrs, "error": err, "t": t})
        time.sleep(a.gap_ms / 1000.0)
    out({"event": "dns-client-done", "lookups": res})


# --------------------------------------------------------------------- idle
def idle_client(a):
    """A framed request, an idle period, then another request: what happens to a connection that a
    middlebox forgot while it was idle."""
    hard_limit(a.limit)
    s = new_socket(family_of(a.connect))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if a.user_timeout_ms:
        s.setsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT, a.user_timeout_ms)
    if a.keepalive_idle:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, a.keepalive_idle)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 2)
    s.connect((a.connect, a.port))
    local = s.getsockname()[:2]
    log = []
    for i, gap in enumerate([0.0, a.idle_s]):
        time.sleep(gap)
        body = body_bytes(a.req_size, b"req")
        t = time.time()
        try:
            s.sendall(struct.pack("!I", len(body)) + body)
            hdr = s.recv(4096)
            log.append({"request": i, "t": t, "ms": round((time.time() - t) * 1000, 1), "reply": len(hdr)})
            if not hdr:
                log[-1]["error"] = "eof"
                break
        except OSError as e:
            log.append({"request": i, "t": t, "ms": round((time.time() - t) * 1000, 1), "error": errno.errorcode.get(e.errno, str(e))})
            break
    info = tcp_info(s)
    s.close()
    out({"event": "idle-done", "local": list(local), "idle_s": a.idle_s, "log": log, "tcp_info": info})


# --------------------------------------------------------------------- gaps
def gaps_client(a):
    """Framed requests on one connection, each after its own pause (--gaps, seconds), the connect
    bounded by --connect-timeout: what a node in the path does to a connection it forgot, reset or
    translated wrongly. Logs the connect's outcome and each request's."""
    hard_limit(a.limit)
    s = new_socket(family_of(a.connect))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if a.user_timeout_ms:
        s.setsockopt(socket.IPPROTO_TCP, TCP_USER_TIMEOUT, a.user_timeout_ms)
    s.settimeout(a.connect_timeout)
    t = time.time()
    try:
        s.connect((a.connect, a.port))
    except OSError as e:
        why = "timeout" if isinstance(e, socket.timeout) else errno.errorcode.get(e.errno, str(e))
        out({"event": "gaps-done", "connected": False, "connect_ms": round((time.time() - t) * 1000, 1),
             "error": why, "local": list(s.getsockname()[:2]), "log": []})
        s.close()
        return
    s.settimeout(None)
    local = s.getsockname()[:2]
    out({"event": "connected", "local": list(local), "t": t})
    log = []
    for i, gap in enumerate(float(x) for x in a.gaps.split(",") if x):
        time.sleep(gap)
        body = body_bytes(a.req_size, b"req")
        t = time.time()
        try:
            s.sendall(struct.pack("!I", len(body)) + body)
            hdr = s.recv(4096)
            log.append({"request": i, "gap_s": gap, "t": t, "ms": round((time.time() - t) * 1000, 1), "reply": len(hdr)})
            if not hdr:
                log[-1]["error"] = "eof"
                break
        except OSError as e:
            log.append({"request": i, "gap_s": gap, "t": t, "ms": round((time.time() - t) * 1000, 1),
                        "error": errno.errorcode.get(e.errno, str(e))})
            break
    info = tcp_info(s)
    s.close()
    out({"event": "gaps-done", "connected": True, "local": list(local), "log": log, "tcp_info": info})


# -------------------------------------------------------------------- stall
def stall_client(a):
    """Framed requests to an rpc-server, then a pause during which the harness makes the path drop
    everything from this client, then one more request: the kernel retransmits it with back-off.
    tcp_info is sampled every 0.5 s while it waits (the ground truth of a stall still in progress
    when the capture stops), then the socket is closed after --wait-s."""
    hard_limit(a.limit)
    s = new_socket(family_of(a.connect))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.connect((a.connect, a.port))
    local = s.getsockname()[:2]
    out({"event": "connected", "local": list(local), "cc": cc_of(s)})
    for i in range(a.requests):
        body = body_bytes(a.req_size + i, b"req")
        s.sendall(struct.pack("!I", len(body)) + body)
        hdr = recv_exact(s, 4)
        recv_exact(s, struct.unpack("!I", hdr)[0])
        time.sleep(a.gap_ms / 1000.0)
    out({"event": "requests-done", "requests": a.requests, "t": time.time(), "tcp_info": tcp_info(s)})
    time.sleep(a.pause_s)
    body = body_bytes(a.req_size, b"STALL")
    s.sendall(struct.pack("!I", len(body)) + body)
    t0 = time.time()
    out({"event": "stalled-request-sent", "bytes": len(body) + 4, "t": t0})
    ticks = []
    s.settimeout(0.5)
    outcome = "no-answer"
    while time.time() - t0 < a.wait_s:
        try:
            got = s.recv(4096)
            outcome = "answer" if got else "eof"
            break
        except socket.timeout:
            pass
        except OSError as e:
            outcome = errno.errorcode.get(e.errno, str(e))
            break
        ti = tcp_info(s)
        ticks.append({"t": round(time.time() - t0, 3), "retransmits": ti.get("retransmits"),
                      "backoff": ti.get("backoff"), "total_retrans": ti.get("total_retrans"),
                      "unacked": ti.get("unacked"), "rto": ti.get("rto"), "state": ti.get("state")})
    info = tcp_info(s)
    # abortive close: nothing more is sent into the black hole (the path drops it anyway)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    out({"event": "stall-done", "local": list(local), "outcome": outcome, "t_sent": t0,
         "ticks": ticks, "tcp_info": info})


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="mode", required=True)

    def common(sp, server):
        if server:
            sp.add_argument("--bind", required=True)
        else:
            sp.add_argument("--connect", required=True)
        sp.add_argument("--port", type=int, required=True)
        sp.add_argument("--limit", type=float, default=60,
                        help="hard wall-clock limit in seconds")

    sp = sub.add_parser("rpc-server"); common(sp, True)
    sp.add_argument("--conns", type=int, default=1)
    sp.add_argument("--idle-timeout", type=float, default=30)
    sp.add_argument("--resp-size", type=int, default=40)
    sp = sub.add_parser("rpc-client"); common(sp, False)
    sp.add_argument("--small", type=int, default=3)
    sp.add_argument("--small-sizes", default="53,180,96")
    sp.add_argument("--big-chunks", default="1398,1307")
    sp.add_argument("--prefix-separate", type=int, default=1)
    sp.add_argument("--prefix-gap-ms", type=float, default=0)
    sp.add_argument("--gap-ms", type=float, default=300)
    sp.add_argument("--user-timeout-ms", type=int, default=0)
    sp.add_argument("--wait-s", type=float, default=40)
    sp.add_argument("--sport", type=int, default=0)
    sp = sub.add_parser("bulk-server"); common(sp, True)
    sp.add_argument("--rcvbuf", type=int, default=0)
    sp.add_argument("--pauses", default="", help="BYTES:SECONDS,...")
    sp.add_argument("--initial-pause", type=float, default=0)
    sp.add_argument("--read-size", type=int, default=65536)
    sp.add_argument("--read-delay-ms", type=float, default=0)
    sp = sub.add_parser("bulk-client"); common(sp, False)
    sp.add_argument("--bytes", type=int, required=True)
    sp.add_argument("--pacing-rate", type=int, default=0, help="bytes/s")
    sp.add_argument("--write-size", type=int, default=65536)
    sp.add_argument("--write-gap-ms", type=float, default=0)
    sp.add_argument("--sndbuf", type=int, default=0)
    sp.add_argument("--idle-before-close", type=float, default=0)
    sp = sub.add_parser("rst-server"); common(sp, True)
    sp = sub.add_parser("rst-client"); common(sp, False)
    sp.add_argument("--closed-port", type=int, required=True)
    sp.add_argument("--refused", type=int, default=2)
    sp.add_argument("--abort-after", type=int, default=20000)
    sp = sub.add_parser("many-server"); common(sp, True)
    sp.add_argument("--conns", type=int, required=True)
    sp.add_argument("--resp-size", type=int, default=120)
    sp = sub.add_parser("many-client"); common(sp, False)
    sp.add_argument("--conns", type=int, required=True)
    sp.add_argument("--concurrency", type=int, default=4)
    sp.add_argument("--src", default="", help="source address to bind")
    sp.add_argument("--connect-timeout", type=float, default=5)
    sp.add_argument("--gap-ms", type=float, default=0, help="pause between a worker's connections")
    sp = sub.add_parser("nagle-server"); common(sp, True)
    sp.add_argument("--resp-size", type=int, default=300)
    sp = sub.add_parser("nagle-client"); common(sp, False)
    sp.add_argument("--requests", type=int, default=20)
    sp.add_argument("--req-size", type=int, default=200)
    sp.add_argument("--resp-size", type=int, default=300)
    sp.add_argument("--gap-ms", type=float, default=50)
    sp.add_argument("--nodelay", type=int, default=0)
    sp = sub.add_parser("dns-server"); common(sp, True)
    sp.add_argument("--zone", required=True, help="name=ipv4,...")
    sp.add_argument("--serve-s", type=float, default=30)
    sp.add_argument("--delay-ms", type=float, default=0)
    sp = sub.add_parser("dns-client")
    sp.add_argument("--names", required=True)
    sp.add_argument("--rounds", type=int, default=1)
    sp.add_argument("--gap-ms", type=float, default=200)
    sp.add_argument("--limit", type=float, default=60)
    sp = sub.add_parser("idle-client"); common(sp, False)
    sp.add_argument("--idle-s", type=float, required=True)
    sp.add_argument("--keepalive-idle", type=int, default=0, help="SO_KEEPALIVE with TCP_KEEPIDLE of this many seconds")
    sp.add_argument("--req-size", type=int, default=120)
    sp.add_argument("--user-timeout-ms", type=int, default=0)
    sp = sub.add_parser("gaps-client"); common(sp, False)
    sp.add_argument("--gaps", required=True, help="seconds before each request, e.g. 0,0.3,0.3")
    sp.add_argument("--req-size", type=int, default=120)
    sp.add_argument("--user-timeout-ms", type=int, default=0)
    sp.add_argument("--connect-timeout", type=float, default=5)
    sp = sub.add_parser("stall-client"); common(sp, False)
    sp.add_argument("--requests", type=int, default=5)
    sp.add_argument("--req-size", type=int, default=200)
    sp.add_argument("--gap-ms", type=float, default=100)
    sp.add_argument("--pause-s", type=float, default=1.0)
    sp.add_argument("--wait-s", type=float, default=14.0)
    a = p.parse_args()
    {"stall-client": stall_client, "rpc-server": rpc_server, "rpc-client": rpc_client,
     "bulk-server": bulk_server, "bulk-client": bulk_client,
     "rst-server": rst_server, "rst-client": rst_client,
     "many-server": many_server, "many-client": many_client,
     "nagle-server": nagle_server, "nagle-client": nagle_client,
     "dns-server": dns_server, "dns-client": dns_client, "idle-client": idle_client, "gaps-client": gaps_client}[a.mode](a)


if __name__ == "__main__":
    main()
