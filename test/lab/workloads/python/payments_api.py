"""payments-api: a plain (non-AI) HTTP service in pod payments/payments-api-*, backed by Redis in payments-db-0.

POST /v1/payments {"amount": 12.5, "currency": "EUR"} stores a payment; GET /v1/payments/<id> reads it back.
POST /v1/diagnostics {"host": "..."} resolves a host for the on-call engineer - and is vulnerable to shell
injection (the host goes into a shell command line unquoted), the foothold of the cryptominer scenario.

env: REDIS_URL, LISTEN_HOST (0.0.0.0), LISTEN_PORT (8080)
"""
import json
import os
import subprocess
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import redis

db = redis.Redis.from_url(os.environ["REDIS_URL"], socket_timeout=5, decode_responses=True)


class Handler(BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        return json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")

    def do_GET(self):
        if self.path == "/healthz":
            return self.reply(200, {"ok": db.ping()})
        if self.path.startswith("/v1/payments/"):
            payment = db.hgetall(f"payment:{self.path.rsplit('/', 1)[1]}")
            return self.reply(200 if payment else 404, payment or {"error": "no such payment"})
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        try:
            request = self.body()
        except ValueError:
            return self.reply(400, {"error": "body must be JSON"})
        if self.path == "/v1/payments":
            payment_id = db.incr("payment:next-id")
            db.hset(f"payment:{payment_id}", mapping={"amount": str(request.get("amount", 0)), "currency": str(request.get("currency", "EUR"))})
            return self.reply(201, {"id": payment_id})
        if self.path == "/v1/diagnostics":
            # The vulnerability: user input interpolated into a shell command.
            done = subprocess.run(f"getent hosts {request.get('host', '')}", shell=True, capture_output=True, text=True, timeout=60)
            return self.reply(200, {"exitStatus": done.returncode, "output": done.stdout[-4000:] + done.stderr[-1000:]})
        self.reply(404, {"error": "not found"})

    def log_message(self, *_args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer((os.environ.get("LISTEN_HOST", "0.0.0.0"), int(os.environ.get("LISTEN_PORT", "8080"))), Handler).serve_forever()
