// The official Anthropic TypeScript SDK as a client of the gateway. Called by the C# tests:
//   node anthropic-client.mjs <baseURL> <gatewayKey> <messages|stream|count|unknown-key>
// Prints one JSON object: what the SDK returned, or the error it raised.
import Anthropic from '@anthropic-ai/sdk';

const [, , baseURL, apiKey, mode] = process.argv;
const client = new Anthropic({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });
const request = {
  model: 'claude-3-5-sonnet-latest',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'hello from node' }],
  metadata: { user_id: 'node-user' },
};

const print = (value) => process.stdout.write(JSON.stringify(value) + '\n');

try {
  switch (mode) {
    case 'messages': {
      const message = await client.messages.create(request);
      print({ text: message.content[0].text, usage: message.usage, model: message.model });
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
    default:
      throw new Error(`unknown mode ${mode}`);
  }
} catch (error) {
  print({ error: { status: error.status ?? null, type: error.error?.error?.type ?? null, message: error.error?.error?.message ?? error.message } });
}
