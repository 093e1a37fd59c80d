using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace Gateway.Benchmarks;

/// <summary>Drives one contender: closed-loop throughput, open-loop latency at a fixed rate, streaming time to first byte.</summary>
internal sealed class LoadGenerator : IDisposable
{
    public const string Body = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello in five words"}]}""";
    public const string StreamBody = """{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say hello in five words"}]}""";

    private readonly HttpClient _client;
    private readonly Uri _path;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _statuses = new();
    private long _errors;

    public LoadGenerator(Uri baseAddress, string path, string bearer, int maxConnections)
    {
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, UseProxy = false, AutomaticDecompression = System.Net.DecompressionMethods.None })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        _path = new Uri(path, UriKind.Relative);
    }

    /// <summary>Answers other than 2xx so far (not counted in throughput or latency).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>The non-2xx answers by status code, e.g. <c>502×3</c>.</summary>
    public string ErrorStatuses => string.Join(' ', _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));

    /// <summary>Successful requests per second with <paramref name="concurrency"/> requests always in flight.</summary>
    public async Task<double> ThroughputAsync(int concurrency, TimeSpan duration)
    {
        var watch = Stopwatch.StartNew();
        var count = 0L;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                if (await SendAsync(Body, firstByteOnly: false) is not null)
                {
                    Interlocked.Increment(ref count);
                }
            }
        }));
        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Open loop: requests start on schedule whether or not earlier ones finished, so a slow
    /// contender's queueing shows in its latency (no coordinated omission).
    /// </summary>
    public async Task<LatencyRecorder> FixedRateAsync(int rate, TimeSpan duration, bool streaming)
    {
        var recorder = new LatencyRecorder();
        var total = (int)(rate * duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var tasks = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            var wait = (interval * i) - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            tasks.Add(Task.Run(async () =>
            {
                if (await SendAsync(streaming ? StreamBody : Body, firstByteOnly: streaming) is { } elapsed)
                {
                    recorder.Add(elapsed);
                }
            }));
        }

        await Task.WhenAll(tasks);
        return recorder;
    }

    public async Task WarmUpAsync(int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            await SendAsync(Body, firstByteOnly: false);
            await SendAsync(StreamBody, firstByteOnly: true);
        }
    }

    public void Dispose() => _client.Dispose();

    /// <summary>
    /// The whole exchange, or with <paramref name="firstByteOnly"/> the time to the first body byte
    /// (the rest is still read); null for an answer other than 2xx, which is counted.
    /// </summary>
    private async Task<TimeSpan?> SendAsync(string body, bool firstByteOnly)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var watch = Stopwatch.StartNew();
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[8192];
        var first = await stream.ReadAsync(buffer);
        var elapsed = watch.Elapsed;
        while (first > 0 && await stream.ReadAsync(buffer) > 0)
        {
        }

        if (!response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref _errors);
            _statuses.AddOrUpdate((int)response.StatusCode, 1, static (_, n) => n + 1);
            return null;
        }

        return firstByteOnly ? elapsed : watch.Elapsed;
    }
}
