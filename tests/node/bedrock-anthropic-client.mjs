// The official Anthropic TypeScript SDK against the gateway's native Bedrock paths
// (BricksLLM's /api/providers/bedrock/anthropic). Called by the C# tests:
//   node bedrock-anthropic-client.mjs <baseURL> <gatewayKey> <bedrockModelId> <messages|stream|complete|complete-stream>
// Prints one JSON object: what the SDK returned, or the error it raised.
import Anthropic from '@anthropic-ai/sdk';

const [, , baseURL, apiKey, model, mode] = process.argv;
const client = new Anthropic({ baseURL, apiKey, maxRetries: 0, timeout: 20_000 });
const request = {
  model,
  max_tokens: 64,
  system: 'Be brief.',
  messages: [{ role: 'user', content: 'hello from node' }],
  metadata: { user_id: 'node-user' },
};
const legacy = { model, max_tokens_to_sample: 64, prompt: '\n\nHuman: hello from node\n\nAssistant:' };

const print = (value) => process.stdout.write(JSON.stringify(value) + '\n');

try {
  switch (mode) {
    case 'messages': {
      const message = await client.messages.create(request);
      print({ text: message.content[0].text, usage: message.usage, stop: message.stop_reason });
      break;
    }
    case 'stream': {
      const stream = client.messages.stream(request);
      let text = '';
      const events = [];
      stream.on('text', (delta) => { text += delta; });
      stream.on('streamEvent', (event) => { events.push(event.type); });
      const final = await stream.finalMessage();
      print({ text, usage: final.usage, stop: final.stop_reason, events });
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
