using System.Diagnostics;
using System.Globalization;
using Gateway.Benchmarks;
using Gateway.Domain.Config;
using Gateway.Domain.Providers;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;
using Microsoft.Extensions.Options;

// Proxy benchmark: the upstream directly, a bare YARP reverse proxy and the gateway (auth, a rate
// and a spend limit on the key so that the Redis script runs on every request, usage events to
// Azurite), side by side in one run. Each proxy is its own Release process pinned to core 0; this
// process (load generator and fake upstream) pins itself to core 1. See README.md for the command.
if (args.Length == 3 && args[0] == BareYarp.Argument)
{
    await BareYarp.RunAsync(int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
    return;
}

var options = BenchmarkOptions.Parse(args);
if (OperatingSystem.IsLinux() && Environment.ProcessorCount >= 2)
{
    Process.GetCurrentProcess().ProcessorAffinity = 1 << 1;
}

#if DEBUG
Console.Error.WriteLine("warning: a Debug build of the load generator; run with -c Release");
#endif

var leftovers = await BenchmarkQueues.DeleteAllAsync();
if (leftovers > 0)
{
    Console.WriteLine($"deleted {leftovers} usage queue(s) left by earlier runs");
}

await using var upstream = await FakeLlmServer.StartAsync();
var upstreamUrl = upstream.BaseUrl.ToString().TrimEnd('/');
var gatewayEnvironment = await ConfigureGatewayAsync(upstreamUrl, options.Limits);
var yarpDll = typeof(BareYarp).Assembly.Location;
var gatewayDll = RepoPaths.Combine("Gateway.Functions", "bin", "Release", "net10.0", "Gateway.Functions.dll");
var runtimeSettings = File.Exists(gatewayDll) ? RuntimeSettings.Of(gatewayDll) : new Dictionary<string, string>();

if (options.LoadOnlySeconds > 0)
{
    await LoadOnlyAsync();
    await BenchmarkQueues.DeleteAllAsync();
    return;
}

Console.WriteLine($"{options.Seconds} s per phase, {options.Rate} req/s fixed rate, {options.Concurrency} connections; proxies on core 0, load and upstream on core 1");
Console.WriteLine($"runtime settings for both proxies (the gateway's): {string.Join(' ', runtimeSettings.Select(s => $"{s.Key}={s.Value}"))}");
if (options.TelemetryRounds > 0)
{
    // The gateway alone, telemetry off then on (the SDK, the proxy's spans and metrics, the
    // Prometheus exporter aggregating), alternating so that drift of the shared machine hits both.
    var rounds = new List<ContenderResult[]>();
    for (var round = 1; round <= options.TelemetryRounds; round++)
    {
        // Odd rounds run the variants in order, even rounds in reverse: drift within a round hits both ends alike.
        var measured = new ContenderResult[TelemetryReport.Variants.Length];
        for (var step = 0; step < measured.Length; step++)
        {
            var v = round % 2 == 1 ? step : measured.Length - 1 - step;
            measured[v] = await MeasureGatewayAsync($"gateway, telemetry {TelemetryReport.Variants[v].Name} ({round})", TelemetryReport.Variants[v].Settings);
        }

        rounds.Add(measured);
    }

    TelemetryReport.Print(rounds, options);
    await BenchmarkQueues.DeleteAllAsync();
    return;
}

var results = new List<ContenderResult>
{
    await MeasureAsync("upstream direct", upstream.BaseUrl, "/v1/chat/completions", "sk-direct", process: null),
};

var yarpPort = ContenderProcess.FreePort();
await using (var yarp = await ContenderProcess.StartAsync("yarp", yarpDll, [BareYarp.Argument, yarpPort.ToString(CultureInfo.InvariantCulture), upstreamUrl], new Dictionary<string, string>(), runtimeSettings, yarpPort))
{
    results.Add(await MeasureAsync("bare YARP", yarp.BaseAddress, ProxyPaths.Chat, "sk-direct", yarp));
}

var gatewayPort = ContenderProcess.FreePort();
gatewayEnvironment.Environment["Ports__Proxy"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
await using (var gateway = await ContenderProcess.StartAsync("gateway", gatewayDll, [], gatewayEnvironment.Environment, runtimeSettings, gatewayPort))
{
    results.Add(await MeasureAsync("gateway", gateway.BaseAddress, ProxyPaths.Chat, gatewayEnvironment.RawKey, gateway));
    if (options.TraceSeconds > 0)
    {
        await TraceAsync(gateway, gatewayEnvironment.RawKey, options.TraceSeconds);
    }
}

Report.Print(results, options);
await BenchmarkQueues.DeleteAllAsync();

async Task<ContenderResult> MeasureGatewayAsync(string name, Dictionary<string, string> telemetry)
{
    var port = ContenderProcess.FreePort();
    var environment = new Dictionary<string, string>(gatewayEnvironment.Environment) { ["Ports__Proxy"] = port.ToString(CultureInfo.InvariantCulture) };
    foreach (var (setting, value) in telemetry)
    {
        environment[setting] = value;
    }

    await using var gateway = await ContenderProcess.StartAsync(name, gatewayDll, [], environment, runtimeSettings, port);
    return await MeasureAsync(name, gateway.BaseAddress, ProxyPaths.Chat, gatewayEnvironment.RawKey, gateway);
}

async Task<ContenderResult> MeasureAsync(string name, Uri baseAddress, string path, string bearer, ContenderProcess? process)
{
    Console.WriteLine($"measuring {name}...");
    using var load = new LoadGenerator(baseAddress, path, bearer, maxConnections: 4096);
    using var closed = new LoadGenerator(baseAddress, path, bearer, maxConnections: options.Concurrency);
    await load.WarmUpAsync(200);
    _ = await closed.ThroughputAsync(options.Concurrency, TimeSpan.FromSeconds(2));

    var closedCpuBefore = process?.CpuTime();
    var closedClock = Stopwatch.StartNew();
    var throughput = await closed.ThroughputAsync(options.Concurrency, TimeSpan.FromSeconds(options.Seconds));
    var closedCpu = process is null ? (TimeSpan?)null : process.CpuTime() - closedCpuBefore!.Value;
    var closedElapsed = closedClock.Elapsed;
    var cpuBefore = process?.CpuTime();
    var clock = Stopwatch.StartNew();
    var latency = await load.FixedRateAsync(options.Rate, TimeSpan.FromSeconds(options.Seconds), streaming: false);
    var cpu = process is null ? (double?)null : (process.CpuTime() - cpuBefore!.Value) / clock.Elapsed * 100;
    var ttfb = await load.FixedRateAsync(options.Rate, TimeSpan.FromSeconds(options.Seconds), streaming: true);
    return new ContenderResult(name, throughput, latency.Percentile(50), latency.Percentile(99), cpu, ttfb.Percentile(50), ttfb.Percentile(99), process?.PeakMemoryMiB(), load.Errors + closed.Errors, $"{closed.ErrorStatuses} {load.ErrorStatuses}".Trim(),
        closedCpu?.TotalMicroseconds / (throughput * options.Seconds), closedCpu / closedElapsed * 100);
}

async Task LoadOnlyAsync()
{
    var port = ContenderProcess.FreePort();
    gatewayEnvironment.Environment["Ports__Proxy"] = port.ToString(CultureInfo.InvariantCulture);
    var name = options.LoadOnlyYarp ? "bare YARP" : "gateway";
    await using var contender = options.LoadOnlyYarp
        ? await ContenderProcess.StartAsync("yarp", yarpDll, [BareYarp.Argument, port.ToString(CultureInfo.InvariantCulture), upstreamUrl], new Dictionary<string, string>(), runtimeSettings, port)
        : await ContenderProcess.StartAsync("gateway", gatewayDll, [], gatewayEnvironment.Environment, runtimeSettings, port);
    using var load = new LoadGenerator(contender.BaseAddress, ProxyPaths.Chat, options.LoadOnlyYarp ? "sk-direct" : gatewayEnvironment.RawKey, options.Concurrency);
    await load.WarmUpAsync(200);
    _ = await load.ThroughputAsync(options.Concurrency, TimeSpan.FromSeconds(2));
    Console.WriteLine(options.LoadOnlyFixedRate
        ? $"{name} pid {contender.Pid.ToString(CultureInfo.InvariantCulture)}: {options.LoadOnlySeconds} s at {options.Rate} req/s"
        : $"{name} pid {contender.Pid.ToString(CultureInfo.InvariantCulture)}: {options.LoadOnlySeconds} s of {options.Concurrency}-connection load");
    var cpuBefore = contender.CpuTime();
    var throughput = options.LoadOnlyFixedRate
        ? (await load.FixedRateAsync(options.Rate, TimeSpan.FromSeconds(options.LoadOnlySeconds), streaming: false)).Count / (double)options.LoadOnlySeconds
        : await load.ThroughputAsync(options.Concurrency, TimeSpan.FromSeconds(options.LoadOnlySeconds));
    var cpuPerRequest = (contender.CpuTime() - cpuBefore).TotalMicroseconds / (throughput * options.LoadOnlySeconds);
    Console.WriteLine($"{name}: throughput {throughput:0} req/s, CPU {cpuPerRequest:0} µs per request, peak RSS {contender.PeakMemoryMiB():0} MiB, errors {load.Errors.ToString(CultureInfo.InvariantCulture)} {load.ErrorStatuses}");
}

async Task TraceAsync(ContenderProcess gateway, string rawKey, int seconds)
{
    // CPU samples of the gateway only (collect-linux: perf_events, needs root); where that is not
    // possible, sampled thread stacks (wall time, idle threads included).
    var output = Path.Combine(Path.GetTempPath(), $"gateway-{DateTime.UtcNow:yyyyMMddHHmmss}.nettrace");
    var duration = TimeSpan.FromSeconds(seconds).ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture);
    var pid = gateway.Pid.ToString(CultureInfo.InvariantCulture);
    if (!await TraceWithAsync(["collect-linux", "-p", pid, "--profile", "cpu-sampling", "--duration", duration, "-o", output])
        && !await TraceWithAsync(["collect", "-p", pid, "--profile", "dotnet-sampled-thread-time", "--duration", duration, "-o", output]))
    {
        Console.WriteLine("dotnet-trace failed (dotnet tool install -g dotnet-trace)");
        return;
    }

    Console.WriteLine($"trace: {output} (dotnet-trace report {output} topN -n 40)");

    async Task<bool> TraceWithAsync(string[] arguments)
    {
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
        var start = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-trace") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Console.WriteLine($"tracing the gateway (pid {pid}) for {seconds} s under {options.Concurrency}-connection load: dotnet-trace {arguments[0]}...");
        using var trace = Process.Start(start);
        if (trace is null)
        {
            return false;
        }

        var stdout = trace.StandardOutput.ReadToEndAsync();
        var stderr = trace.StandardError.ReadToEndAsync();
        using var load = new LoadGenerator(gateway.BaseAddress, ProxyPaths.Chat, rawKey, options.Concurrency);
        var loading = load.ThroughputAsync(options.Concurrency, TimeSpan.FromSeconds(seconds + 5));
        await trace.WaitForExitAsync();
        await loading;
        if (trace.ExitCode != 0)
        {
            Console.WriteLine($"dotnet-trace {arguments[0]} exited {trace.ExitCode}: {(await stdout + await stderr).Trim()}");
        }

        return trace.ExitCode == 0 && File.Exists(output);
    }
}

static async Task<(Dictionary<string, string> Environment, string RawKey)> ConfigureGatewayAsync(string upstreamUrl, bool limits)
{
    var prefix = RedisTestConnection.NewPrefix();
    await using var redis = RedisTestConnection.Create(prefix);
    var encryptionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    var protector = new CredentialProtector(Options.Create(new EncryptionOptions { Key = encryptionKey }));
    var setting = TestData.NewSetting();
    setting.EncryptedSecrets = protector.Protect(new Dictionary<string, string> { ["apikey"] = "sk-bench" });
    var (key, rawKey) = TestData.NewKey("bench", setting.Id);

    // Limits that never bite but make the Redis script run (a rate window and a spend counter) on every
    // request; --limits 0 leaves them off (no Redis call), to see what the limits call costs.
    if (limits)
    {
        key.Limits.RateLimitOverTime = 100_000_000;
        key.Limits.RateLimitUnit = "d";
        key.Limits.CostLimitInUsd = 1_000_000m;
    }
    var writer = new ConfigCacheWriter(redis);
    await writer.UpsertAsync(setting);
    await writer.UpsertAsync(key);
    var environment = new Dictionary<string, string>
    {
        ["ConnectionStrings__Redis"] = TestEnvironment.RedisConnectionString,
        ["Redis__KeyPrefix"] = prefix,
        ["Encryption__Key"] = encryptionKey,
        ["Providers__OpenAI__BaseUrl"] = upstreamUrl,
        ["UsageQueueStorage"] = TestEnvironment.StorageConnectionString,
        ["UsageQueueName"] = BenchmarkQueues.NewName(),
    };
    return (environment, rawKey);
}
