#!/usr/bin/env python3
"""A pass-through HTTP proxy that counts requests by AWS operation, for benchmarks.

    count_proxy.py PORT_FILE UPSTREAM_URL COUNTS_FILE

Listens on 127.0.0.1 on a port the OS chooses and writes it to PORT_FILE once it listens.
Forwards every request to UPSTREAM_URL unchanged (the signature stays valid: the Host header
is passed through as the client signed it, and nothing is re-signed) and, after each one,
rewrites COUNTS_FILE with {"total": N, "operations": {"DescribeTable": N, ...}}.
"""
import http.client
import http.server
import json
import os
import sys
import threading
import urllib.parse

port_file, upstream, counts_file = sys.argv[1], sys.argv[2], sys.argv[3]
target = urllib.parse.urlsplit(upstream)
lock = threading.Lock()
counts = {"total": 0, "operations": {}}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        op = self.headers.get("X-Amz-Target", "?").split(".")[-1]
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        conn.request("POST", self.path, body, dict(self.headers.items()))
        resp = conn.getresponse()
        data = resp.read()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()
        with lock:
            counts["total"] += 1
            counts["operations"][op] = counts["operations"].get(op, 0) + 1
            with open(counts_file, "w") as f:
                json.dump(counts, f)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(port_file + ".tmp", "w", encoding="utf-8") as f:
    f.write(f"{server.server_address[1]}\n")
os.replace(port_file + ".tmp", port_file)
server.serve_forever()
