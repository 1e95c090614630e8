"""A stand-in for the container credentials endpoint and the EC2 instance metadata service, for
the AWS credential chain tests (Python standard library only).

Usage: credentials_server.py --port-file FILE --keys KEYS_JSON [--parent-pid PID]

KEYS_JSON holds {"AccessKeyId", "SecretAccessKey", "Token" (optional), "AuthToken"}. Listens on
127.0.0.1 on a port the OS chooses, written to FILE (see serving.py), and answers:
  GET /creds                      container credentials; 401 unless the Authorization header
                                  equals AuthToken
  PUT /latest/api/token           an IMDSv2 session token (needs the TTL header)
  GET /latest/meta-data/iam/security-credentials/        the role name "test-role"
  GET /latest/meta-data/iam/security-credentials/test-role  the credentials document
The two GETs under /latest need the session token from the PUT (401 without it), as IMDSv2 does.
"""
import argparse
import datetime
import http.server
import json
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
from serving import serve  # noqa: E402 (after the line above)

IMDS_TOKEN = "imds-session-token"
ROLE = "test-role"
KEYS = {}


def document(token_field):
    expiration = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1))
    doc = {"AccessKeyId": KEYS["AccessKeyId"], "SecretAccessKey": KEYS["SecretAccessKey"],
           "Expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ")}
    if KEYS.get("Token"):
        doc[token_field] = KEYS["Token"]
    return doc


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def _send(self, status, body):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path == "/latest/api/token" and self.headers.get(
                "X-aws-ec2-metadata-token-ttl-seconds"):
            return self._send(200, IMDS_TOKEN)
        self._send(400, "bad token request")

    def do_GET(self):
        if self.path == "/creds":
            if self.headers.get("Authorization") != KEYS["AuthToken"]:
                return self._send(401, "unauthorized")
            return self._send(200, document("Token"))
        base = "/latest/meta-data/iam/security-credentials/"
        if self.path.startswith(base):
            if self.headers.get("X-aws-ec2-metadata-token") != IMDS_TOKEN:
                return self._send(401, "")
            if self.path == base:
                return self._send(200, ROLE + "\n")
            if self.path == base + ROLE:
                doc = document("Token")
                doc["Code"] = "Success"
                return self._send(200, doc)
        self._send(404, "not found")


def main():
    global KEYS
    parser = argparse.ArgumentParser(description="container and instance credentials stand-in")
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--keys", required=True)
    parser.add_argument("--parent-pid", type=int)
    args = parser.parse_args()
    with open(args.keys, encoding="utf-8") as f:
        KEYS = json.load(f)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    serve(server, args.port_file, args.parent_pid)


if __name__ == "__main__":
    main()
