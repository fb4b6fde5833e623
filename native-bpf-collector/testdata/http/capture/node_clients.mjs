// Runs the real Node openai and @anthropic-ai/sdk SDKs against the scripted server (see python_clients.py). Both
// SDKs use Node's global fetch, so their requests share keep-alive connections: one fixture per connection.
// Usage: node node_clients.mjs BASE_URL   (with openai and @anthropic-ai/sdk resolvable from the working directory)
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';

const base = process.argv[2];
const apiKey = 'sk-proj-NodeVg1LfXtUrE7kQ2mZ9pN4sB6wC8yD0aH3jK5oR1tU7vX9zA2cE4';
const toolOutput = 'rows: 3; DATABASE_URL=postgres://app:Pg-Secr3t-pw@db.payments:5432/app';
const weatherTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

function client(fixture) {
  return new OpenAI({ apiKey, baseURL: `${base}/v1`, defaultHeaders: { 'X-Vigil-Fixture': fixture }, maxRetries: 0 });
}

async function chatStream() {
  const openai = client('node-sdks');
  const messages = [{ role: 'user', content: 'Weather in Paris?' }];
  const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, tools: [weatherTool], stream: true });
  const calls = new Map();
  for await (const chunk of stream) {
    for (const delta of chunk.choices[0]?.delta?.tool_calls ?? []) {
      const entry = calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
      entry.id = delta.id ?? entry.id;
      entry.name = delta.function?.name ?? entry.name;
      entry.arguments += delta.function?.arguments ?? '';
      calls.set(delta.index, entry);
    }
  }
  const call = calls.get(0);
  messages.push({ role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }] });
  messages.push({ role: 'tool', tool_call_id: call.id, content: toolOutput });
  const final = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, tools: [weatherTool] });
  return final.choices[0].message.content;
}

// Anthropic: a streamed tool_use, then the tool result (with a leaked credential) and a whole answer.
async function anthropicMessages() {
  const anthropic = new Anthropic({
    apiKey: 'sk-ant-api03-NodeF1xTuRe7Kq2Mz9Pn4Sb6Wc8Yd0Ah3Jk5Or1Tu7Vx9Za2Ce4Gi6Km8No0Qs2Uw4Yy6Aa8Cc0Ee2Gg4-Ii6Kk8AA',
    baseURL: base,
    defaultHeaders: { 'X-Vigil-Fixture': 'node-sdks' },
    maxRetries: 0,
  });
  const tools = [{ name: 'get_weather', description: 'Current weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
  const messages = [{ role: 'user', content: 'Weather in Paris?' }];
  const first = await anthropic.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 256, messages, tools }).finalMessage();
  const use = first.content.find((block) => block.type === 'tool_use');
  messages.push({ role: 'assistant', content: first.content });
  messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: toolOutput }] });
  const final = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 256, messages, tools });
  return final.content[0].text;
}

console.log('node openai client done:', await chatStream());
console.log('node anthropic client done:', await anthropicMessages());
