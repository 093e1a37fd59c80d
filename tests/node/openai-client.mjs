// The official OpenAI TypeScript SDK as a client of the gateway's one API. Called by the C# tests:
//   node openai-client.mjs <baseURL> <gatewayKey> <model> <chat|stream|tools|stream-tools|image|json|embeddings>
// Prints one JSON object: what the SDK returned, or the error it raised.
import OpenAI from 'openai';

const [, , baseURL, apiKey, model, mode] = process.argv;
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });
const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const time = {
  type: 'function',
  function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } },
};

const print = (value) => process.stdout.write(JSON.stringify(value) + '\n');

try {
  switch (mode) {
    case 'chat': {
      const completion = await client.chat.completions.create({
        model,
        messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello from node' }],
        user: 'node-user',
      });
      print({ text: completion.choices[0].message.content, finish: completion.choices[0].finish_reason, usage: completion.usage });
      break;
    }
    case 'stream': {
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hello from node' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let finish = null;
      let usage = null;
      let chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        text += chunk.choices[0]?.delta?.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        usage = chunk.usage ?? usage;
      }
      print({ text, finish, usage, chunks });
      break;
    }
    case 'tools': {
      const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
      const first = await client.chat.completions.create({ model, messages, tools: [weather] });
      const call = first.choices[0].message.tool_calls[0];
      messages.push(first.choices[0].message);
      messages.push({ role: 'tool', tool_call_id: call.id, content: '18 degrees' });
      const answer = await client.chat.completions.create({ model, messages, tools: [weather] });
      print({ finish: first.choices[0].finish_reason, call: { id: call.id, name: call.function.name, arguments: call.function.arguments }, text: answer.choices[0].message.content });
      break;
    }
    case 'stream-tools': {
      const runner = client.chat.completions.stream({ model, messages: [{ role: 'user', content: 'Weather and time?' }], tools: [weather, time] });
      const final = await runner.finalChatCompletion();
      const message = final.choices[0].message;
      print({ finish: final.choices[0].finish_reason, calls: message.tool_calls.map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })) });
      break;
    }
    case 'image': {
      const completion = await client.chat.completions.create({
        model,
        messages: [{
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://images.example/dog.webp', detail: 'high' } },
          ],
        }],
      });
      print({ text: completion.choices[0].message.content });
      break;
    }
    case 'json': {
      const completion = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Describe a person' }],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'person', schema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } } } },
        },
      });
      print({ text: completion.choices[0].message.content, finish: completion.choices[0].finish_reason });
      break;
    }
    case 'embeddings': {
      const result = await client.embeddings.create({ model, input: 'embed this text' });
      print({ dimensions: result.data[0].embedding.length, usage: result.usage });
      break;
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
} catch (error) {
  print({ error: { status: error.status ?? null, type: error.error?.type ?? null, message: error.error?.message ?? error.message } });
}
