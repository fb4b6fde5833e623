"""model-server: an unregistered "shadow AI" inference server (pod data-science/model-server-0, port 8000).

It opens a safetensors model file, maps its weights, and answers OpenAI-style /v1/completions with text derived
deterministically from the weights and the prompt - a stand-in for a real runtime serving a downloaded model.

env: MODEL_FILE, LISTEN_HOST (0.0.0.0), LISTEN_PORT (8000)
"""
import hashlib
import json
import mmap
import os
import struct
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODEL_FILE = os.environ["MODEL_FILE"]
with open(MODEL_FILE, "rb") as handle:
    weights = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
header_size = struct.unpack("<Q", weights[:8])[0]
header = json.loads(weights[8:8 + header_size])
metadata = header.pop("__metadata__", {})
MODEL_NAME = metadata.get("name", os.path.basename(MODEL_FILE))
VOCAB = metadata.get("vocab", "the of data model result value signal trend growth risk").split()


def generate(prompt: str, max_tokens: int) -> str:
    digest = hashlib.sha256(prompt.encode()).digest()
    tensor = next(iter(header.values()))
    start = 8 + header_size + tensor["data_offsets"][0]
    words = [VOCAB[(weights[start + (digest[i % 32] * 4 + i) % 4096] + digest[i % 32]) % len(VOCAB)] for i in range(max_tokens)]
    return " ".join(words)


class Handler(BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path in ("/healthz", "/v1/models"):
            return self.reply(200, {"object": "list", "data": [{"id": MODEL_NAME, "object": "model", "owned_by": "data-science"}]})
        self.reply(404, {"error": "not found"})

    def do_POST(self):
        if self.path != "/v1/completions":
            return self.reply(404, {"error": "not found"})
        request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
        text = generate(str(request.get("prompt", "")), min(int(request.get("max_tokens", 16)), 256))
        self.reply(200, {"object": "text_completion", "model": MODEL_NAME, "choices": [{"index": 0, "text": text, "finish_reason": "length"}]})

    def log_message(self, *_args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer((os.environ.get("LISTEN_HOST", "0.0.0.0"), int(os.environ.get("LISTEN_PORT", "8000"))), Handler).serve_forever()
