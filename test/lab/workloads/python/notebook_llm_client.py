"""A data scientist's notebook cell calling AI services nobody declared (the shadow-ai scenario).

It asks the in-cluster model server for a completion, then calls the external LLM provider twice: through the
openai SDK (chat completions) and with plain HTTP in the Anthropic messages format, streamed.

env: MODEL_SERVER_URL, LLM_BASE_URL, LLM_API_KEY, SSL_CERT_FILE
"""
import json
import os
import urllib.request

from openai import OpenAI


def post_json(url, body, headers=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


local = json.loads(post_json(f"{os.environ['MODEL_SERVER_URL']}/v1/completions", {"prompt": "Churn drivers in Q3:", "max_tokens": 12}))
print("model-server:", local["choices"][0]["text"])

client = OpenAI(base_url=os.environ["LLM_BASE_URL"], api_key=os.environ["LLM_API_KEY"])
chat = client.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": "Summarize churn drivers for Q3 customer data"}])
print("openai:", chat.choices[0].message.content)

events = post_json(f"{os.environ['LLM_BASE_URL']}/messages",
                   {"model": "claude-sonnet-4-5", "max_tokens": 256, "stream": True,
                    "messages": [{"role": "user", "content": "Draft an email about the churn numbers"}]},
                   {"x-api-key": os.environ["LLM_API_KEY"], "anthropic-version": "2023-06-01"})
text = "".join(json.loads(line[6:])["delta"].get("text", "") for line in events.splitlines()
               if line.startswith("data: ") and '"content_block_delta"' in line)
print("anthropic:", text)
