#!/usr/bin/env python3
"""A stand-in for an OpenAI-compatible chat endpoint, for tests (stdlib only).

Binds a free port, prints it as the first line of stdout, then prints "COMPLETION" for each
chat completion it answers. Exits when stdin closes, so it never outlives its test.

Endpoints:
  POST .../chat/completions  a chat completion whose assistant message is the --answer text
  GET  /last-request         JSON {"headers": {name: value}, "body": <the last completion request>}

Options (how the next completions behave):
  --answer TEXT     the assistant's content (default "OK")
  --delay SECONDS   wait before answering
  --status CODE     answer with this HTTP status and an OpenAI-style error body
  --raw TEXT        answer 200 with this body instead of a completion (garbage, truncated JSON)
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

state_lock = threading.Lock()
last_request = {"headers": {}, "body": None}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    options = None

    def do_GET(self):
        if self.path == "/last-request":
            with state_lock:
                self.reply(200, json.dumps(last_request).encode())
        else:
            self.reply(404, b'{"error": {"message": "not found"}}')

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if not self.path.endswith("/chat/completions"):
            self.reply(404, b'{"error": {"message": "not found"}}')
            return
        try:
            request = json.loads(body)
        except ValueError:
            self.reply(400, b'{"error": {"message": "the body is not JSON"}}')
            return
        with state_lock:
            last_request["headers"] = {name: value for name, value in self.headers.items()}
            last_request["body"] = request
        options = self.options
        if options.delay:
            time.sleep(options.delay)
        print("COMPLETION", flush=True)
        if options.status:
            self.reply(options.status, json.dumps({"error": {"message": "failing on purpose", "type": "server_error"}}).encode())
        elif options.raw is not None:
            self.reply(200, options.raw.encode())
        else:
            self.reply(200, json.dumps({
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": request.get("model", ""),
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": options.answer}}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            }).encode())

    def reply(self, status, body):
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a time-out test)

    def log_message(self, format, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--answer", default="OK")
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--status", type=int)
    parser.add_argument("--raw")
    Handler.options = parser.parse_args()
    server = Server((Handler.options.host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.buffer.read()
    os._exit(0)


if __name__ == "__main__":
    main()
