// Runs the real Node openai SDK against the scripted server: one fixture per client (see python_clients.py).
// Usage: node node_clients.mjs BASE_URL   (with the openai package resolvable from the working directory)
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
  const openai = client('node-openai-chat-stream');
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

const answer = await chatStream();
console.log('node client done:', answer);
