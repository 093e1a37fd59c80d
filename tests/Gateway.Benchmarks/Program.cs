using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Benchmarks;
using Gateway.Domain.Config;
using Gateway.Domain.Providers;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;
using Microsoft.Extensions.Options;

// Proxy benchmark: drives the gateway and, in the same run, the fake provider directly, and
// reports throughput at fixed concurrency, latency at a fixed rate, the latency the gateway adds,
// streaming time-to-first-byte overhead and the proxy's peak memory. Auth, rate limiting (one
// Redis script per request) and usage-event publishing are all on.
//
//   dotnet build Gateway.Functions -c Release && dotnet run -c Release --project tests/Gateway.Benchmarks -- [seconds] [rate] [concurrency]
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var rate = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32;

await using var upstream = await FakeLlmServer.StartAsync();
var prefix = RedisTestConnection.NewPrefix();
await using var redis = RedisTestConnection.Create(prefix);
var encryptionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
var protector = new CredentialProtector(Options.Create(new EncryptionOptions { Key = encryptionKey }));
var setting = TestData.NewSetting();
setting.EncryptedSecrets = protector.Protect(new Dictionary<string, string> { ["apikey"] = "sk-bench" });
var (key, rawKey) = TestData.NewKey("bench", setting.Id);
key.Limits.RateLimitOverTime = 100_000_000;
key.Limits.RateLimitUnit = "d";
var writer = new ConfigCacheWriter(redis);
await writer.UpsertAsync(setting);
await writer.UpsertAsync(key);

var queue = "bench-usage-" + Guid.NewGuid().ToString("n")[..8];
await using var proxy = await ProxyProcess.StartAsync(new Dictionary<string, string>
{
    ["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString,
    ["Redis__KeyPrefix"] = prefix,
    ["Encryption__Key"] = encryptionKey,
    ["Providers__OpenAI__BaseUrl"] = upstream.BaseUrl.ToString().TrimEnd('/'),
    ["UsageQueueStorage"] = TestEnvironment.StorageConnectionString,
    ["UsageQueueName"] = queue,
});

using var gatewayClient = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = proxy.BaseAddress };
gatewayClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
using var directClient = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 }) { BaseAddress = upstream.BaseUrl };
directClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-direct");
const string Body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello in five words"}]}""";
const string StreamBody = """{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say hello in five words"}]}""";
var gatewayPath = "/api/providers/openai/v1/chat/completions";
var directPath = "/v1/chat/completions";

async Task<TimeSpan> SendAsync(HttpClient client, string path, string body, bool firstByteOnly = false)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    var watch = Stopwatch.StartNew();
    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    await using var stream = await response.Content.ReadAsStreamAsync();
    var buffer = new byte[8192];
    if (firstByteOnly)
    {
        _ = await stream.ReadAsync(buffer);
        var ttfb = watch.Elapsed;
        while (await stream.ReadAsync(buffer) > 0)
        {
        }

        return ttfb;
    }

    while (await stream.ReadAsync(buffer) > 0)
    {
    }

    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
    }

    return watch.Elapsed;
}

async Task<double> ThroughputAsync(HttpClient client, string path)
{
    var stop = Stopwatch.StartNew();
    var count = 0L;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (stop.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await SendAsync(client, path, Body);
            Interlocked.Increment(ref count);
        }
    }));
    return count / stop.Elapsed.TotalSeconds;
}

async Task<LatencyRecorder> FixedRateAsync(HttpClient client, string path, string body, bool firstByteOnly)
{
    // Open loop: requests start on schedule whether or not earlier ones finished.
    var recorder = new LatencyRecorder();
    var total = rate * seconds;
    var interval = TimeSpan.FromSeconds(1.0 / rate);
    var tasks = new List<Task>(total);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < total; i++)
    {
        var due = interval * i;
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait);
        }

        tasks.Add(Task.Run(async () => recorder.Add(await SendAsync(client, path, body, firstByteOnly))));
    }

    await Task.WhenAll(tasks);
    return recorder;
}

Console.WriteLine($"warming up ({seconds} s runs, {rate} req/s fixed rate, {concurrency} concurrent)...");
for (var i = 0; i < 300; i++)
{
    await SendAsync(gatewayClient, gatewayPath, Body);
    await SendAsync(directClient, directPath, Body);
}

var directRps = await ThroughputAsync(directClient, directPath);
var gatewayRps = await ThroughputAsync(gatewayClient, gatewayPath);
var direct = await FixedRateAsync(directClient, directPath, Body, firstByteOnly: false);
var gateway = await FixedRateAsync(gatewayClient, gatewayPath, Body, firstByteOnly: false);
var directTtfb = await FixedRateAsync(directClient, directPath, StreamBody, firstByteOnly: true);
var gatewayTtfb = await FixedRateAsync(gatewayClient, gatewayPath, StreamBody, firstByteOnly: true);

Console.WriteLine();
Console.WriteLine("| measure | direct | gateway | added |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine($"| throughput, {concurrency} concurrent (req/s) | {directRps:0} | {gatewayRps:0} | |");
Console.WriteLine($"| latency p50 at {rate} req/s (ms) | {direct.Percentile(50):0.00} | {gateway.Percentile(50):0.00} | {gateway.Percentile(50) - direct.Percentile(50):0.00} |");
Console.WriteLine($"| latency p99 at {rate} req/s (ms) | {direct.Percentile(99):0.00} | {gateway.Percentile(99):0.00} | {gateway.Percentile(99) - direct.Percentile(99):0.00} |");
Console.WriteLine($"| streaming TTFB p50 at {rate} req/s (ms) | {directTtfb.Percentile(50):0.00} | {gatewayTtfb.Percentile(50):0.00} | {gatewayTtfb.Percentile(50) - directTtfb.Percentile(50):0.00} |");
Console.WriteLine($"| streaming TTFB p99 at {rate} req/s (ms) | {directTtfb.Percentile(99):0.00} | {gatewayTtfb.Percentile(99):0.00} | {gatewayTtfb.Percentile(99) - directTtfb.Percentile(99):0.00} |");
Console.WriteLine($"| proxy peak memory (MiB) | | {proxy.PeakMemoryMiB():0} | |");
