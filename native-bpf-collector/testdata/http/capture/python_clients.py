"""Runs the real Python openai and anthropic SDKs against the scripted server: one fixture per client.

Secrets are planted where agents leak them (a pasted key in a user message, credentials in tool results and tool
arguments) so the tests can prove none of them survives parsing. They are realistic in shape and not live.

Usage: python_clients.py BASE_URL
"""

import sys

import anthropic
import openai

BASE = sys.argv[1]
OPENAI_KEY = "sk-proj-Vg1LfXtUrE7kQ2mZ9pN4sB6wC8yD0aH3jK5oR1tU7vX9zA2cE4gI6"
ANTHROPIC_KEY = "sk-ant-api03-VgF1xTuRe7Kq2Mz9Pn4Sb6Wc8Yd0Ah3Jk5Or1Tu7Vx9Za2Ce4Gi6Km8No0Qs2Uw4Yy6Aa8Cc0Ee2Gg4Ii6Kk8-Mm0OoQQ"
PASTED = "here is my key AKIAZ7VIGILFIXTURE01 and token ghp_Vg1LfXtUrE7kQ2mZ9pN4sB6wC8yD0aH3jK5o"
TOOL_OUTPUT = "weather ok; env: OPENAI_API_KEY=sk-proj-ToolLeak9z8y7x6w5v4u3t2s1r0q9p8o7n6m5l4k3 password=Sup3r$ecret!"

WEATHER_TOOL = {"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city",
                                                  "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}
TIME_TOOL = {"type": "function", "function": {"name": "get_time", "description": "Local time in a time zone",
                                               "parameters": {"type": "object", "properties": {"tz": {"type": "string"}}}}}


def openai_client(fixture):
    return openai.OpenAI(api_key=OPENAI_KEY, base_url=BASE + "/v1", default_headers={"X-Vigil-Fixture": fixture},
                         max_retries=0)


def chat_non_stream():
    client = openai_client("py-openai-chat")
    messages = [{"role": "system", "content": "You are a weather agent."},
                {"role": "user", "content": "What is the weather in Paris? " + PASTED}]
    first = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL])
    call = first.choices[0].message.tool_calls[0]
    messages.append(first.choices[0].message.model_dump(exclude_none=True))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": TOOL_OUTPUT})
    client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL])
    client.close()


def chat_stream():
    client = openai_client("py-openai-chat-stream")
    messages = [{"role": "user", "content": "Weather and time in Paris?"}]
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL, TIME_TOOL],
                                            stream=True)
    calls = {}
    for chunk in stream:
        for delta in chunk.choices[0].delta.tool_calls or [] if chunk.choices else []:
            entry = calls.setdefault(delta.index, {"id": "", "name": "", "arguments": ""})
            entry["id"] = delta.id or entry["id"]
            entry["name"] = (delta.function.name or entry["name"]) if delta.function else entry["name"]
            entry["arguments"] += (delta.function.arguments or "") if delta.function else ""
    messages.append({"role": "assistant", "content": None, "tool_calls": [
        {"id": c["id"], "type": "function", "function": {"name": c["name"], "arguments": c["arguments"]}} for c in calls.values()]})
    for c in calls.values():
        messages.append({"role": "tool", "tool_call_id": c["id"], "content": TOOL_OUTPUT})
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=[WEATHER_TOOL, TIME_TOOL],
                                            stream=True, stream_options={"include_usage": True})
    for _ in stream:
        pass
    client.close()


def responses_api():
    client = openai_client("py-openai-responses")
    tools = [{"type": "function", "name": "get_weather", "description": "Current weather for a city",
              "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]
    first = client.responses.create(model="gpt-4o-mini", instructions="You are a weather agent.",
                                    input="Weather in Paris?", tools=tools)
    call = first.output[0]
    items = [{"role": "user", "content": "Weather in Paris?"},
             {"type": "function_call", "call_id": call.call_id, "name": call.name, "arguments": call.arguments},
             {"type": "function_call_output", "call_id": call.call_id, "output": TOOL_OUTPUT}]
    stream = client.responses.create(model="gpt-4o-mini", input=items, tools=tools, stream=True)
    for _ in stream:
        pass
    client.close()


def anthropic_messages():
    client = anthropic.Anthropic(api_key=ANTHROPIC_KEY, base_url=BASE, default_headers={"X-Vigil-Fixture": "py-anthropic"},
                                 max_retries=0)
    tools = [{"name": "get_weather", "description": "Current weather for a city",
              "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]
    messages = [{"role": "user", "content": "What is the weather in Paris? " + PASTED}]
    first = client.messages.create(model="claude-sonnet-4-5", max_tokens=512, system="You are a weather agent.",
                                   messages=messages, tools=tools)
    use = [b for b in first.content if b.type == "tool_use"][0]
    messages.append({"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in first.content]})
    messages.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": use.id, "content": TOOL_OUTPUT}]})
    with client.messages.stream(model="claude-sonnet-4-5", max_tokens=512, system="You are a weather agent.",
                                messages=messages, tools=tools) as stream:
        for _ in stream.text_stream:
            pass
    client.close()


def anthropic_stream_tool_use():
    client = anthropic.Anthropic(api_key=ANTHROPIC_KEY, base_url=BASE,
                                 default_headers={"X-Vigil-Fixture": "py-anthropic-stream-tool"}, max_retries=0)
    tools = [{"name": "get_weather", "description": "Current weather for a city",
              "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]
    with client.messages.stream(model="claude-sonnet-4-5", max_tokens=512,
                                messages=[{"role": "user", "content": "Weather in Paris?"}], tools=tools) as stream:
        stream.get_final_message()
    client.close()


if __name__ == "__main__":
    chat_non_stream()
    chat_stream()
    responses_api()
    anthropic_messages()
    anthropic_stream_tool_use()
    print("python clients done: openai", openai.__version__, "anthropic", anthropic.__version__)
