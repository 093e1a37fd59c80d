using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Domain.Config;
using Gateway.Domain.Providers;
using Gateway.Domain.Redis;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Tests.Hosting;

/// <summary>
/// SIGTERM to the proxy as a real process, under load: it stops accepting, lets in-flight streams
/// finish within <c>Proxy__ShutdownGrace</c>, cuts what still runs when the grace is over, and exits.
/// What comes after the last request (the usage publisher's flush, then the exit) is the
/// publisher's: these tests assert the proxy's part, up to "every request finished".
/// </summary>
public sealed class ProxyGracefulStopTests : IAsyncLifetime
{
    private const int InFlight = 8;
    private readonly string _prefix = RedisTestConnection.NewPrefix();
    private FakeLlmServer _upstream = null!;
    private RedisConnection _redis = null!;
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeLlmServer.StartAsync();
        _redis = RedisTestConnection.Create(_prefix);
        var setting = TestData.NewSetting();
        var protector = new CredentialProtector(Options.Create(new EncryptionOptions { Key = ProxyTestHost.EncryptionKey }));
        setting.EncryptedSecrets = protector.Protect(new Dictionary<string, string> { ["apikey"] = ProxyTestHost.UpstreamOpenAiKey });
        var (key, raw) = TestData.NewKey("graceful stop", setting.Id);
        var writer = new ConfigCacheWriter(_redis);
        await writer.UpsertAsync(setting);
        await writer.UpsertAsync(key);
        _rawKey = raw;
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Sigterm_UnderLoad_InFlightStreamsFinish_NewConnectionsRefused_ExitsWithinGrace()
    {
        // Each stream: 12 words, one event every 250 ms: about 3 s, well inside a 20 s grace.
        _upstream.Behavior.ResponseText = string.Join(' ', Enumerable.Range(1, 12).Select(i => "w" + i));
        _upstream.Behavior.ChunkDelay = TimeSpan.FromMilliseconds(250);
        await using var proxy = await ProxyProcess.StartAsync(Settings(grace: "00:00:20"));
        using var client = new HttpClient { BaseAddress = proxy.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
        var streams = await StartStreamsAsync(client);

        proxy.Terminate();

        await AssertRefusesConnectionsAsync(proxy.BaseAddress);
        var bodies = await Task.WhenAll(streams.Select(ReadToEndAsync));
        Assert.All(bodies, body => Assert.Contains("data: [DONE]", body, StringComparison.Ordinal));
        Assert.All(bodies, body => Assert.Contains("w12", body, StringComparison.Ordinal));
        var drained = await proxy.WaitForDrainedAsync(TimeSpan.FromSeconds(40));
        Assert.True(drained < TimeSpan.FromSeconds(20), $"serving stopped {drained.TotalMilliseconds} ms after SIGTERM, not within the 20 s grace");
    }

    [Fact]
    public async Task Sigterm_StreamLongerThanGrace_IsCutAtTheGraceAndProcessExits()
    {
        // A 60 s stream against a 2 s grace: the process must not wait for it.
        _upstream.Behavior.ResponseText = string.Join(' ', Enumerable.Range(1, 60).Select(i => "w" + i));
        _upstream.Behavior.ChunkDelay = TimeSpan.FromSeconds(1);
        await using var proxy = await ProxyProcess.StartAsync(Settings(grace: "00:00:02"));
        using var client = new HttpClient { BaseAddress = proxy.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var streams = await StartStreamsAsync(client);

        proxy.Terminate();

        var drained = await proxy.WaitForDrainedAsync(TimeSpan.FromSeconds(40));
        Assert.True(drained >= TimeSpan.FromSeconds(1.5), $"serving stopped {drained.TotalMilliseconds} ms after SIGTERM, before the 2 s grace");
        Assert.True(drained < TimeSpan.FromSeconds(8), $"serving stopped {drained.TotalMilliseconds} ms after SIGTERM, long after the 2 s grace ({proxy.Output})");
        foreach (var stream in streams)
        {
            var body = await ReadToEndAsync(stream);
            Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
        }

        // The upstream calls were cancelled with the cut requests: unfinished calls cost money.
        await Eventually.AssertAsync(() => _upstream.CancelledRequestCount == InFlight, TimeSpan.FromSeconds(10), "every upstream stream was cancelled");
    }

    private Dictionary<string, string> Settings(string grace) => new()
    {
        ["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString,
        ["Redis__KeyPrefix"] = _prefix,
        ["Encryption__Key"] = ProxyTestHost.EncryptionKey,
        ["Providers__OpenAI__BaseUrl"] = _upstream.BaseUrl.ToString().TrimEnd('/'),
        ["Proxy__ShutdownGrace"] = grace,
        ["UsageQueueStorage"] = TestEnvironment.StorageConnectionString,
        ["UsageQueueName"] = TestEnvironment.UniqueName("stop"),
    };

    // Starts the streams and waits until each has delivered its first event: all are in flight.
    private async Task<List<HttpResponseMessage>> StartStreamsAsync(HttpClient client)
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, InFlight).Select(async _ =>
        {
            using var request = ProxyAccessTests.Chat("gpt-4o", stream: true);
            request.Headers.Authorization = new("Bearer", _rawKey);
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return response;
        }));
        return [.. responses];
    }

    private static async Task<string> ReadToEndAsync(HttpResponseMessage response)
    {
        var text = new StringBuilder();
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(stream);
            var buffer = new char[4096];
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory())) > 0)
            {
                text.Append(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // A cut stream: what arrived is the answer.
        }
        finally
        {
            response.Dispose();
        }

        return text.ToString();
    }

    private static async Task AssertRefusesConnectionsAsync(Uri address)
    {
        await Eventually.AssertAsync(() =>
        {
            try
            {
                using var socket = new TcpClient();
                socket.Connect(address.Host, address.Port);
                return false;
            }
            catch (SocketException)
            {
                return true;
            }
        }, TimeSpan.FromSeconds(5), "the stopping proxy refuses new connections");
    }

    /// <summary>The proxy's own build output started as a process, as the Functions host starts a custom handler.</summary>
    private sealed class ProxyProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private ProxyProcess(Process process, Uri baseAddress)
        {
            _process = process;
            BaseAddress = baseAddress;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Uri BaseAddress { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static async Task<ProxyProcess> StartAsync(Dictionary<string, string> settings)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "Gateway.Functions.dll");
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet", [dll])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            foreach (var (name, value) in settings)
            {
                start.Environment[name] = value;
            }

            start.Environment["Ports__Proxy"] = port.ToString(CultureInfo.InvariantCulture);
            start.Environment["Logging__LogLevel__Default"] = "Information";
            var proxy = new ProxyProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
            using var client = new HttpClient { BaseAddress = proxy.BaseAddress };
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(60) && !proxy._process.HasExited)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri("/api/health", UriKind.Relative));
                    return proxy;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            await proxy.DisposeAsync();
            throw new InvalidOperationException("the proxy did not start: " + proxy.Output);
        }

        /// <summary>SIGTERM, as the Functions host or Kubernetes stops an instance.</summary>
        public void Terminate()
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        /// <summary>Waits for the proxy's "every request finished" line and returns the time since SIGTERM it reports.</summary>
        public async Task<TimeSpan> WaitForDrainedAsync(TimeSpan timeout)
        {
            const string Marker = "every request finished ";
            string? line = null;
            await Eventually.AssertAsync(
                () => (line = Output.Split('\n').FirstOrDefault(l => l.Contains(Marker, StringComparison.Ordinal))) is not null,
                timeout,
                "the proxy logged that every request finished");
            var found = line!;
            var text = found[(found.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length)..].Split(' ')[0];
            return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
