"""A loopback-only HTTP/1.1 server that answers like the OpenAI and Anthropic APIs, and records every byte.

Real SDKs talk to it over plain HTTP; each TCP connection is saved as a fixture: the ordered list of byte segments
exactly as they were received (the client's SSL_write side, "egress") and sent (its SSL_read side, "ingress").
The answers are scripted: a tool call when tools are offered, a final text once a tool result comes back.

Usage: scripted_server.py OUT_DIR PORT_FILE
"""

import base64
import gzip
import json
import os
import socket
import socketserver
import sys
import threading
import time

OUT_DIR = sys.argv[1]
PORT_FILE = sys.argv[2]
CREATED = 1767225600  # fixed timestamps keep fixtures stable


SAVED = set()
SAVED_LOCK = threading.Lock()


class Recorder:
    def __init__(self, sock):
        self.sock = sock
        self.segments = []
        self.fixture = None

    def recv(self, n=65536):
        data = self.sock.recv(n)
        if data:
            self.segments.append(("egress", data))
        return data

    def send(self, data):
        self.segments.append(("ingress", data))
        self.sock.sendall(data)

    def save(self):
        if not self.fixture or not self.segments:
            return
        out = []
        for direction, data in self.segments:
            try:
                out.append({"dir": direction, "text": data.decode("utf-8")})
            except UnicodeDecodeError:
                out.append({"dir": direction, "base64": base64.b64encode(data).decode()})
        # A client that opens several connections gets one fixture per connection, numbered in order.
        with SAVED_LOCK:
            name, n = self.fixture, 1
            while name in SAVED:
                n += 1
                name = f"{self.fixture}-conn{n}"
            SAVED.add(name)
        path = os.path.join(OUT_DIR, name + ".json")
        with open(path, "w") as f:
            json.dump({"fixture": self.fixture, "segments": out}, f, indent=1, ensure_ascii=False)
            f.write("\n")


def read_request(rec, buf):
    while b"\r\n\r\n" not in buf:
        more = rec.recv()
        if not more:
            return None, buf
        buf += more
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if headers.get("transfer-encoding", "").lower() == "chunked":
        data = rest
        while True:
            while b"\r\n" not in data:
                data += rec.recv()
            size_line, _, data = data.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(data) < size + 2:
                data += rec.recv()
            body += data[:size]
            data = data[size + 2:]
            if size == 0:
                break
        rest = data
    else:
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            rest += rec.recv()
        body, rest = rest[:length], rest[length:]
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return (method, path, headers, body), rest


def json_response(rec, headers, payload, status=200, extra=None):
    body = json.dumps(payload).encode()
    lines = [f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}", "content-type: application/json",
             "date: Thu, 01 Jan 2026 00:00:00 GMT", "x-request-id: req_fixture"]
    if "gzip" in headers.get("accept-encoding", ""):
        body = gzip.compress(body, mtime=0)
        lines.append("content-encoding: gzip")
    lines += extra or []
    lines.append(f"content-length: {len(body)}")
    rec.send(("\r\n".join(lines) + "\r\n\r\n").encode() + body)


def sse_response(rec, events):
    """Streams events as chunked transfer encoding, one chunk per write, as the real APIs do."""
    rec.send(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream; charset=utf-8\r\n"
             b"date: Thu, 01 Jan 2026 00:00:00 GMT\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n")
    for event_name, data in events:
        text = ""
        if event_name:
            text += f"event: {event_name}\n"
        text += f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n"
        chunk = text.encode()
        rec.send(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        time.sleep(0.002)
    rec.send(b"0\r\n\r\n")


def split_args(text, parts=4):
    step = max(1, len(text) // parts)
    return [text[i:i + step] for i in range(0, len(text), step)]


WEATHER_ARGS = json.dumps({"city": "Paris", "unit": "celsius"})
FINAL_TEXT = "It is 18°C and sunny in Paris. I did not use the AWS key you pasted."


def openai_chat(rec, headers, req):
    model = req.get("model", "gpt-4o-mini")
    messages = req.get("messages", [])
    wants_tool = bool(req.get("tools")) and messages[-1].get("role") != "tool"
    base = {"id": "chatcmpl-fixture", "created": CREATED, "model": model + "-2024-07-18", "system_fingerprint": "fp_x"}
    usage = {"prompt_tokens": 57, "completion_tokens": 18, "total_tokens": 75}
    if not req.get("stream"):
        if wants_tool:
            message = {"role": "assistant", "content": None, "refusal": None, "tool_calls": [
                {"id": "call_weather_1", "type": "function", "function": {"name": "get_weather", "arguments": WEATHER_ARGS}}]}
            finish = "tool_calls"
        else:
            message = {"role": "assistant", "content": FINAL_TEXT, "refusal": None}
            finish = "stop"
        json_response(rec, headers, {**base, "object": "chat.completion", "choices": [
            {"index": 0, "message": message, "logprobs": None, "finish_reason": finish}], "usage": usage})
        return
    chunk = {**base, "object": "chat.completion.chunk"}
    events = [(None, {**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": "" if not wants_tool else None}, "finish_reason": None}]})]
    if wants_tool:
        events.append((None, {**chunk, "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "id": "call_weather_2", "type": "function", "function": {"name": "get_weather", "arguments": ""}}]}, "finish_reason": None}]}))
        for part in split_args(WEATHER_ARGS):
            events.append((None, {**chunk, "choices": [{"index": 0, "delta": {"tool_calls": [
                {"index": 0, "function": {"arguments": part}}]}, "finish_reason": None}]}))
        events.append((None, {**chunk, "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 1, "id": "call_time_2", "type": "function", "function": {"name": "get_time", "arguments": "{\"tz\":\"Europe/Paris\"}"}}]}, "finish_reason": None}]}))
        finish = "tool_calls"
    else:
        for word in FINAL_TEXT.split(" "):
            events.append((None, {**chunk, "choices": [{"index": 0, "delta": {"content": word + " "}, "finish_reason": None}]}))
        finish = "stop"
    events.append((None, {**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}))
    if (req.get("stream_options") or {}).get("include_usage"):
        events.append((None, {**chunk, "choices": [], "usage": usage}))
    events.append((None, "[DONE]"))
    sse_response(rec, events)


def openai_responses(rec, headers, req):
    model = req.get("model", "gpt-4o-mini")
    items = req.get("input") if isinstance(req.get("input"), list) else []
    has_result = any(isinstance(i, dict) and i.get("type") == "function_call_output" for i in items)
    wants_tool = bool(req.get("tools")) and not has_result
    usage = {"input_tokens": 61, "output_tokens": 22, "total_tokens": 83}
    if wants_tool:
        output = [{"type": "function_call", "id": "fc_1", "call_id": "call_resp_1", "name": "get_weather",
                   "arguments": WEATHER_ARGS, "status": "completed"}]
    else:
        output = [{"type": "message", "id": "msg_1", "status": "completed", "role": "assistant",
                   "content": [{"type": "output_text", "text": FINAL_TEXT, "annotations": []}]}]
    response = {"id": "resp_fixture", "object": "response", "created_at": CREATED, "status": "completed",
                "model": model + "-2024-07-18", "output": output, "usage": usage}
    if not req.get("stream"):
        json_response(rec, headers, response)
        return
    started = {**response, "status": "in_progress", "output": [], "usage": None}
    events = [("response.created", {"type": "response.created", "sequence_number": 0, "response": started})]
    if wants_tool:
        item = output[0]
        events.append(("response.output_item.added", {"type": "response.output_item.added", "output_index": 0,
                       "item": {**item, "arguments": "", "status": "in_progress"}}))
        for part in split_args(WEATHER_ARGS):
            events.append(("response.function_call_arguments.delta", {"type": "response.function_call_arguments.delta",
                           "item_id": "fc_1", "output_index": 0, "delta": part}))
        events.append(("response.output_item.done", {"type": "response.output_item.done", "output_index": 0, "item": item}))
    else:
        for word in FINAL_TEXT.split(" "):
            events.append(("response.output_text.delta", {"type": "response.output_text.delta", "item_id": "msg_1",
                           "output_index": 0, "content_index": 0, "delta": word + " "}))
        events.append(("response.output_item.done", {"type": "response.output_item.done", "output_index": 0, "item": output[0]}))
    events.append(("response.completed", {"type": "response.completed", "response": response}))
    sse_response(rec, events)


def anthropic_messages(rec, headers, req):
    model = req.get("model", "claude-sonnet-4-5")
    messages = req.get("messages", [])
    last = messages[-1]["content"] if messages else ""
    has_result = isinstance(last, list) and any(b.get("type") == "tool_result" for b in last)
    wants_tool = bool(req.get("tools")) and not has_result
    if wants_tool:
        content = [{"type": "text", "text": "Let me check the weather."},
                   {"type": "tool_use", "id": "toolu_01Weather", "name": "get_weather", "input": {"city": "Paris", "unit": "celsius"}}]
        stop = "tool_use"
    else:
        content = [{"type": "text", "text": FINAL_TEXT}]
        stop = "end_turn"
    usage = {"input_tokens": 412, "output_tokens": 64, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
    message = {"id": "msg_fixture", "type": "message", "role": "assistant", "model": model, "content": content,
               "stop_reason": stop, "stop_sequence": None, "usage": usage}
    if not req.get("stream"):
        json_response(rec, headers, message)
        return
    events = [("message_start", {"type": "message_start", "message": {**message, "content": [], "stop_reason": None,
                                                                      "usage": {**usage, "output_tokens": 1}}})]
    for index, block in enumerate(content):
        if block["type"] == "text":
            events.append(("content_block_start", {"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}}))
            events.append(("ping", {"type": "ping"}))
            for word in block["text"].split(" "):
                events.append(("content_block_delta", {"type": "content_block_delta", "index": index,
                               "delta": {"type": "text_delta", "text": word + " "}}))
        else:
            events.append(("content_block_start", {"type": "content_block_start", "index": index,
                           "content_block": {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}}))
            for part in split_args(json.dumps(block["input"])):
                events.append(("content_block_delta", {"type": "content_block_delta", "index": index,
                               "delta": {"type": "input_json_delta", "partial_json": part}}))
        events.append(("content_block_stop", {"type": "content_block_stop", "index": index}))
    events.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                     "usage": {"output_tokens": 64}}))
    events.append(("message_stop", {"type": "message_stop"}))
    sse_response(rec, events)


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        rec = Recorder(self.request)
        buf = b""
        try:
            while True:
                request, buf = read_request(rec, buf)
                if request is None:
                    break
                method, path, headers, body = request
                rec.fixture = rec.fixture or headers.get("x-vigil-fixture", "unnamed")
                req = json.loads(body) if body else {}
                if path.startswith("/v1/chat/completions"):
                    openai_chat(rec, headers, req)
                elif path.startswith("/v1/responses"):
                    openai_responses(rec, headers, req)
                elif path.startswith("/v1/messages"):
                    anthropic_messages(rec, headers, req)
                else:
                    json_response(rec, headers, {"error": {"message": "not found", "type": "invalid_request_error"}}, status=404)
        except (ConnectionError, OSError):
            pass
        finally:
            rec.save()


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    server = Server(("127.0.0.1", 0), Handler)
    with open(PORT_FILE, "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()
