"""Churns the kernel's ephemeral ports with loopback connections (Python standard library only).

Usage: port_churn.py [--rate N] [--hold N] [--threads N] [--seconds S]

Another program's client sockets are what takes a "fixed" test port in the ephemeral range
(32768-60999 on Linux): each outgoing connection gets a port from there, and keeps it for the
minute of TIME-WAIT after it closes. This plays such a program. It listens on 127.0.0.1 (a port
the OS chooses) and, from --threads threads, opens connections to itself, keeps up to --hold of
them open at once, and closes them from the client side (so the client ports sit in TIME-WAIT),
about --rate new connections a second in all (default 300: some 18,000 ports busy at a time).
Runs for --seconds (default: until SIGTERM or SIGINT), then prints what it did.

    python3 tests/support/port_churn.py & churn=$!
    bash .ci/run
    kill $churn
"""
import argparse
import collections
import signal
import socket
import threading
import time

STOP = threading.Event()
LOCK = threading.Lock()
COUNTS = collections.Counter()


def listener():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(1024)

    def accept():
        server.settimeout(0.5)
        while not STOP.is_set():
            try:
                conn, _ = server.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            # Read until the client closes, then close: the client side closes first.
            threading.Thread(target=drain, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return server.getsockname()[1]


def drain(conn):
    conn.settimeout(120)
    try:
        while conn.recv(64):
            pass
    except OSError:
        pass
    finally:
        conn.close()


def churn(port, rate, hold):
    """One thread's share: `rate` connections a second, up to `hold` open at once."""
    interval = 1.0 / rate
    open_sockets = collections.deque()
    next_at = time.monotonic()
    while not STOP.is_set():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            s.connect(("127.0.0.1", port))
            open_sockets.append(s)
            with LOCK:
                COUNTS["connections"] += 1
        except OSError:
            s.close()
            with LOCK:
                COUNTS["failed"] += 1
        while len(open_sockets) > hold:
            open_sockets.popleft().close()
        next_at += interval
        delay = next_at - time.monotonic()
        if delay > 0:
            STOP.wait(delay)
        else:
            next_at = time.monotonic()  # behind: do not burst to catch up
    for s in open_sockets:
        s.close()


def main():
    parser = argparse.ArgumentParser(description="churn ephemeral ports with loopback connections")
    parser.add_argument("--rate", type=float, default=300, help="new connections a second")
    parser.add_argument("--hold", type=int, default=200, help="connections open at once")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=0, help="0: until stopped")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, lambda *_: STOP.set())
    signal.signal(signal.SIGINT, lambda *_: STOP.set())
    port = listener()
    start = time.monotonic()
    workers = [threading.Thread(target=churn,
                                args=(port, args.rate / args.threads,
                                      max(1, args.hold // args.threads)))
               for _ in range(args.threads)]
    for w in workers:
        w.start()
    print(f"port_churn: listening on 127.0.0.1:{port}, {args.rate:g} connections/s", flush=True)
    while not STOP.wait(1):
        if args.seconds and time.monotonic() - start >= args.seconds:
            STOP.set()
    for w in workers:
        w.join()
    took = time.monotonic() - start
    print(f"port_churn: {COUNTS['connections']} connections in {took:.0f} s "
          f"({COUNTS['connections'] / max(took, 1):.0f}/s), {COUNTS['failed']} failed",
          flush=True)


if __name__ == "__main__":
    main()
