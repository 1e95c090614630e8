"""A fault-injecting HTTP proxy for the AWS retry tests (Python standard library only).

Usage: fault_proxy.py PORT UPSTREAM [FAULT,...]

Listens on 127.0.0.1:PORT. The first requests are answered with the listed faults, in order;
every later request is forwarded to UPSTREAM (http://host:port) with its headers untouched, so a
SigV4 signature made for this proxy's address (or for the absolute URL a client sends when it
uses this as its HTTP proxy) still checks out upstream. Faults:
  503, 500, 502, 504   that HTTP status with an empty body
  throttle             400 with a DynamoDB-style ThrottlingException JSON body
  drop                 close the connection without answering
  stall                wait 5 s, then close the connection without answering (client timeouts)
Control endpoints, never forwarded:
  GET  /__fault/stats   {"requests": N, "connections": N, "faults": N} as JSON
  POST /__fault/script  replace the remaining faults with the body's comma-separated list
Keeps connections alive (HTTP/1.1) so clients can reuse them; counts accepted connections.
"""
import http.client
import http.server
import json
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()
STATE = {"faults": [], "requests": 0, "connections": 0, "served": 0}
UPSTREAM = ("127.0.0.1", 0)

THROTTLE = json.dumps({"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                       "message": "Rate exceeded"}).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with LOCK:
            STATE["connections"] += 1

    def log_message(self, format, *args):  # quiet: the tests read results, not logs
        pass

    def _send(self, status, body=b"", content_type="application/x-amz-json-1.0"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _control(self, body):
        if self.command == "GET" and self.path == "/__fault/stats":
            with LOCK:
                stats = {"requests": STATE["requests"], "connections": STATE["connections"],
                         "faults": STATE["served"]}
            self._send(200, json.dumps(stats).encode(), "application/json")
        elif self.command == "POST" and self.path == "/__fault/script":
            with LOCK:
                STATE["faults"] = [f for f in body.decode().split(",") if f]
            self._send(200, b"{}", "application/json")
        else:
            self._send(404)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/__fault/"):
            return self._control(body)
        with LOCK:
            STATE["requests"] += 1
            fault = STATE["faults"].pop(0) if STATE["faults"] else None
            if fault:
                STATE["served"] += 1
        if fault == "stall":
            time.sleep(5)
            self.close_connection = True
            return
        if fault == "drop":
            self.close_connection = True
            return
        if fault == "throttle":
            return self._send(400, THROTTLE)
        if fault:
            return self._send(int(fault))
        self._forward(body)

    def _forward(self, body):
        # An absolute-form target (the client uses us as its proxy) keeps only its path.
        target = urllib.parse.urlsplit(self.path)
        path = target.path or "/"
        if target.query:
            path += "?" + target.query
        conn = http.client.HTTPConnection(*UPSTREAM, timeout=30)
        try:
            conn.putrequest(self.command, path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in ("proxy-connection", "connection", "keep-alive"):
                    conn.putheader(name, value)
            conn.endheaders(body)
            answer = conn.getresponse()
            data = answer.read()
        finally:
            conn.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("content-length", "connection", "transfer-encoding",
                                    "keep-alive", "server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _handle


def main():
    global UPSTREAM
    port = int(sys.argv[1])
    upstream = urllib.parse.urlsplit(sys.argv[2])
    UPSTREAM = (upstream.hostname, upstream.port or 80)
    if len(sys.argv) > 3:
        STATE["faults"] = [f for f in sys.argv[3].split(",") if f]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
