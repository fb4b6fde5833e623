"""research-agent: a Python AI agent (pod agents/research-agent-*), built on the openai and mcp SDKs.

POST /tasks {"task": "...", "stream": false} runs an LLM tool loop against the lab's LLM provider and really
executes the tool calls: fetch_url, read_file, run_shell, http_post, plus the tools of two MCP servers - "notes"
(launched over stdio) and "files" (mcp-files over streamable HTTP). Release 2 adds a Prometheus /metrics endpoint
and a Redis cache of fetched documents.

env: LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, MCP_FILES_URL, NOTES_DIR, LISTEN_HOST, LISTEN_PORT (8080),
     AGENT_RELEASE (1 or 2), CACHE_REDIS_URL (release 2), SSL_CERT_FILE (the lab CA)
"""
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path

import uvicorn
from mcp import Client, StdioServerParameters
from openai import AsyncOpenAI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

RELEASE = int(os.environ.get("AGENT_RELEASE", "1"))
MODEL = os.environ.get("LLM_MODEL", "gpt-4o-mini")
MAX_TURNS = 8
SYSTEM_PROMPT = (
    "You are a research assistant for the ML team. Use the tools to retrieve documents and notes, "
    "then answer concisely."
)
llm = AsyncOpenAI(base_url=os.environ["LLM_BASE_URL"], api_key=os.environ["LLM_API_KEY"])
metrics: Counter[str] = Counter()
cache = None
if RELEASE >= 2:
    import redis

    cache = redis.Redis.from_url(os.environ["CACHE_REDIS_URL"], socket_timeout=5)


def function(name, description, **params):
    schema = {"type": "object", "properties": {k: {"type": "string"} for k in params}, "required": list(params)}
    for key, text in params.items():
        schema["properties"][key]["description"] = text
    return {"type": "function", "function": {"name": name, "description": description, "parameters": schema}}


LOCAL_TOOLS = [
    function("fetch_url", "GET a web page or API over HTTP(S) and return its body.", url="absolute URL"),
    function("read_file", "Read a local text file.", path="file path"),
    function("run_shell", "Run a shell command and return its output.", command="shell command line"),
    function("http_post", "POST a text body to a URL.", url="absolute URL", body="request body"),
]


def fetch_url(url: str) -> str:
    if cache is not None and (hit := cache.get(f"doc:{url}")) is not None:
        metrics["cache_hits_total"] += 1
        return hit.decode()
    with urllib.request.urlopen(url, timeout=20) as response:
        body = response.read(512 * 1024).decode("utf-8", errors="replace")
    if cache is not None:
        cache.set(f"doc:{url}", body, ex=3600)
    return body


def read_file(path: str) -> str:
    return Path(path).read_text(encoding="utf-8", errors="replace")[:256 * 1024]


def run_shell(command: str) -> str:
    done = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, timeout=60)
    return f"exit status {done.returncode}\n{done.stdout[-8000:]}{done.stderr[-2000:]}"


def http_post(url: str, body: str) -> str:
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return f"HTTP {response.status}: {response.read(4096).decode(errors='replace')}"


LOCAL_IMPLEMENTATIONS = {"fetch_url": fetch_url, "read_file": read_file, "run_shell": run_shell, "http_post": http_post}


def mcp_tool_specs(prefix, tools):
    return [
        {"type": "function", "function": {"name": f"{prefix}__{t.name}", "description": t.description or "", "parameters": t.input_schema}}
        for t in tools
    ]


def result_text(result) -> str:
    text = "\n".join(getattr(block, "text", "") for block in result.content)
    return f"error: {text}" if result.is_error else text


async def complete(messages, tools, stream):
    """One model turn; returns (content, tool_calls as dicts). Streams when asked, assembling deltas like apps do."""
    if not stream:
        message = (await llm.chat.completions.create(model=MODEL, messages=messages, tools=tools)).choices[0].message
        calls = [{"id": c.id, "name": c.function.name, "arguments": c.function.arguments} for c in message.tool_calls or []]
        return message.content or "", calls
    content, calls = "", {}
    async for chunk in await llm.chat.completions.create(model=MODEL, messages=messages, tools=tools, stream=True):
        if not chunk.choices:
            continue
        delta = chunk.choices[0].delta
        content += delta.content or ""
        for part in delta.tool_calls or []:
            call = calls.setdefault(part.index, {"id": "", "name": "", "arguments": ""})
            call["id"] = part.id or call["id"]
            call["name"] += (part.function.name or "") if part.function else ""
            call["arguments"] += (part.function.arguments or "") if part.function else ""
    return content, [calls[i] for i in sorted(calls)]


async def run_task(task: str, stream: bool, notes: Client) -> dict:
    metrics["tasks_total"] += 1
    async with contextlib.AsyncExitStack() as stack:
        files = await stack.enter_async_context(Client(os.environ["MCP_FILES_URL"]))
        servers = {"notes": notes, "files": files}
        tools = LOCAL_TOOLS + mcp_tool_specs("notes", (await notes.list_tools()).tools) + mcp_tool_specs("files", (await files.list_tools()).tools)
        messages = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": task}]
        steps = []
        for _ in range(MAX_TURNS):
            content, calls = await complete(messages, tools, stream)
            if not calls:
                return {"answer": content, "steps": steps}
            messages.append({"role": "assistant", "content": content or None, "tool_calls": [
                {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": c["arguments"]}} for c in calls]})
            for call in calls:
                output, ok = await execute(call, servers)
                metrics[f'tool_calls_total{{tool="{call["name"]}"}}'] += 1
                steps.append({"tool": call["name"], "arguments": call["arguments"], "ok": ok})
                messages.append({"role": "tool", "tool_call_id": call["id"], "content": output})
        return {"answer": "stopped: too many tool turns", "steps": steps}


async def execute(call, servers) -> tuple[str, bool]:
    try:
        arguments = json.loads(call["arguments"] or "{}")
        prefix, _, name = call["name"].partition("__")
        if name and prefix in servers:
            result = await servers[prefix].call_tool(name, arguments)
            return result_text(result), not result.is_error
        return LOCAL_IMPLEMENTATIONS[call["name"]](**arguments), True
    except Exception as error:  # a failing tool is reported to the model, as agent frameworks do
        return f"error: {type(error).__name__}: {error}", False


@contextlib.asynccontextmanager
async def lifespan(app):
    notes_server = StdioServerParameters(command=sys.executable, args=[str(Path(__file__).with_name("notes_mcp_stdio.py"))],
                                         env={"NOTES_DIR": os.environ["NOTES_DIR"]})
    async with Client(notes_server) as notes, metrics_exporter():
        app.state.notes = notes
        yield


class ExporterServer(uvicorn.Server):
    """The metrics port's server: the agent's own server owns the signals and ends this one from its lifespan."""

    @contextlib.contextmanager
    def capture_signals(self):
        yield


@contextlib.asynccontextmanager
async def metrics_exporter():
    """Release 2's Prometheus exporter on its own port (METRICS_PORT), as exporters usually listen."""
    port = os.environ.get("METRICS_PORT")
    if RELEASE < 2 or not port:
        yield
        return
    exporter = Starlette(routes=[Route("/metrics", metrics_endpoint)])
    server = ExporterServer(uvicorn.Config(exporter, host=os.environ.get("LISTEN_HOST", "0.0.0.0"), port=int(port), log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    try:
        yield
    finally:
        server.should_exit = True
        await task


async def tasks(request: Request):
    body = await request.json()
    if not isinstance(body.get("task"), str):
        return JSONResponse({"error": "body must be {\"task\": string, \"stream\"?: bool}"}, status_code=400)
    return JSONResponse(await run_task(body["task"], bool(body.get("stream")), request.app.state.notes))


async def healthz(_request: Request):
    return JSONResponse({"ok": True, "release": RELEASE})


async def metrics_endpoint(_request: Request):
    lines = [f"research_agent_{name} {value}" for name, value in sorted(metrics.items())]
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")


app = Starlette(routes=[Route("/tasks", tasks, methods=["POST"]), Route("/healthz", healthz)], lifespan=lifespan)

if __name__ == "__main__":
    uvicorn.run(app, host=os.environ.get("LISTEN_HOST", "0.0.0.0"), port=int(os.environ.get("LISTEN_PORT", "8080")), log_level="warning")
