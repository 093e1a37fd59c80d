// The official Anthropic TypeScript SDK as a client of the gateway. Called by the C# tests:
//   node anthropic-client.mjs <baseURL> <gatewayKey> <messages|stream|count|complete|complete-stream|unknown-key> [model]
// Prints one JSON object: what the SDK returned, or the error it raised.
import Anthropic from '@anthropic-ai/sdk';

const [, , baseURL, apiKey, mode, model = 'claude-3-5-sonnet-latest'] = process.argv;
const client = new Anthropic({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });
const request = {
  model,
  max_tokens: 64,
  messages: [{ role: 'user', content: 'hello from node' }],
  metadata: { user_id: 'node-user' },
};
const legacy = { model, max_tokens_to_sample: 64, prompt: '\n\nHuman: hello from node\n\nAssistant:' };

const print = (value) => process.stdout.write(JSON.stringify(value) + '\n');

try {
  switch (mode) {
    case 'messages': {
      const message = await client.messages.create(request);
      print({ text: message.content[0].text, usage: message.usage, model: message.model, stop: message.stop_reason });
      break;
    }
    case 'stream': {
      const stream = client.messages.stream(request);
      let text = '';
      const events = [];
      stream.on('text', (delta) => { text += delta; });
      stream.on('streamEvent', (event) => { events.push(event.type); });
      const final = await stream.finalMessage();
      print({ text, usage: final.usage, events });
      break;
    }
    case 'count': {
      const counted = await client.messages.countTokens({ model: request.model, messages: request.messages });
      print({ input_tokens: counted.input_tokens });
      break;
    }
    case 'complete': {
      const completion = await client.completions.create(legacy);
      print({ text: completion.completion, stop: completion.stop_reason });
      break;
    }
    case 'complete-stream': {
      const stream = await client.completions.create({ ...legacy, stream: true });
      let text = '';
      let stop = null;
      for await (const chunk of stream) {
        text += chunk.completion;
        stop = chunk.stop_reason ?? stop;
      }
      print({ text, stop });
      break;
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
} catch (error) {
  print({ error: { status: error.status ?? null, type: error.error?.error?.type ?? null, message: error.error?.error?.message ?? error.message } });
}
