#!/usr/bin/env python3
"""HTTP server for tests (stdlib only).

Binds a free port, prints it as the first line of stdout, then prints one line per request
("REQUEST <METHOD> <path>") so a test can tell a request has arrived. Exits when stdin
closes, so it never outlives the test process that started it.

Endpoints (any method):
  /echo             200, JSON {"method", "path", "headers": [[name, value], ...], "body_base64"}
  /status/<code>    that status, body "status <code>" (empty for 204 and 304)
  /slow/<seconds>   waits, then 200 "slow"
  /bytes/<n>        n bytes of "x" with a Content-Length
  /stream/<n>       n bytes of "x" without a Content-Length (ends at connection close)
  /headers          200 with X-First, X-Repeat (twice), X-Last in that order
  /redirect?to=<p>  302 to <p>
  /flaky/<n>/<key>  the first n requests for <key> get 500, later ones are answered like /echo
  /record/<key>     200 "recorded", keeping the request (as /echo describes it) under <key>
  /recorded/<key>   200, JSON list of the requests kept under <key>, oldest first
  /json/<b64>       200 with the base64url-decoded bytes as an application/json body

Options: --tls-cert FILE --tls-key FILE serve HTTPS instead of HTTP.
"""
import argparse
import base64
import json
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

print_lock = threading.Lock()
flaky_lock = threading.Lock()
flaky_counts = {}
recorded = {}


def announce(line):
    with print_lock:
        print(line, flush=True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def handle_any(self):
        url = urlsplit(self.path)
        announce(f"REQUEST {self.command} {url.path}")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = url.path.strip("/").split("/")

        if parts[0] == "flaky":
            with flaky_lock:
                seen = flaky_counts.get(parts[2], 0)
                flaky_counts[parts[2]] = seen + 1
            if seen < int(parts[1]):
                self.reply(500, b"failing on purpose")
                return
            parts = ["echo"]
        description = {
            "method": self.command,
            "path": self.path,
            "headers": [[name, value] for name, value in self.headers.items()],
            "body_base64": base64.b64encode(body).decode(),
        }
        if parts[0] == "echo":
            self.reply(200, json.dumps(description).encode(), [("Content-Type", "application/json")])
        elif parts[0] == "record":
            with flaky_lock:
                recorded.setdefault(parts[1], []).append(description)
            self.reply(200, b"recorded")
        elif parts[0] == "recorded":
            with flaky_lock:
                kept = list(recorded.get(parts[1], []))
            self.reply(200, json.dumps(kept).encode(), [("Content-Type", "application/json")])
        elif parts[0] == "json":
            padded = parts[1] + "=" * (-len(parts[1]) % 4)
            self.reply(200, base64.urlsafe_b64decode(padded), [("Content-Type", "application/json")])
        elif parts[0] == "status":
            status = int(parts[1])
            self.reply(status, b"" if status in (204, 304) else f"status {status}".encode())
        elif parts[0] == "slow":
            time.sleep(float(parts[1]))
            self.reply(200, b"slow")
        elif parts[0] == "bytes":
            self.reply(200, b"x" * int(parts[1]))
        elif parts[0] == "stream":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            if self.command != "HEAD":
                self.wfile.write(b"x" * int(parts[1]))
        elif parts[0] == "headers":
            self.reply(200, b"headers", [
                ("X-First", "1"), ("X-Repeat", "a"), ("X-Repeat", "b"), ("X-Last", "z")])
        elif parts[0] == "redirect":
            target = parse_qs(url.query)["to"][0]
            self.reply(302, b"", [("Location", target)])
        else:
            self.reply(404, b"not found")

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def __getattr__(self, name):
        # Every method, including ones like PROPFIND, is handled the same way.
        if name.startswith("do_"):
            return self.handle_any
        raise AttributeError(name)

    def log_message(self, format, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # the default of 5 drops connections under concurrent load

    def handle_error(self, request, client_address):
        # Clients that give up (failed TLS verification, timeouts, cancellation) are expected.
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()

    server = Server((args.host, 0), Handler)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        # The handshake then happens in the request's thread, not in the accept loop.
        server.socket = context.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False)

    threading.Thread(target=server.serve_forever, daemon=True).start()
    announce(server.server_address[1])
    sys.stdin.buffer.read()
    os._exit(0)


if __name__ == "__main__":
    main()
