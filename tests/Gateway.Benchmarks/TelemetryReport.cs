using System.Globalization;

namespace Gateway.Benchmarks;

/// <summary>Prints the gateway with telemetry off and on, round by round, and the cost of telemetry (issue 17's target: ≤ 5 %).</summary>
internal static class TelemetryReport
{
    public static void Print(IReadOnlyList<(ContenderResult Off, ContenderResult On)> rounds, BenchmarkOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"| round | telemetry | throughput, {options.Concurrency} connections (req/s) | p50 at {options.Rate} req/s (ms) | p99 (ms) | CPU (% of one core) | TTFB p50 (ms) | peak RSS (MiB) | non-2xx |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        for (var i = 0; i < rounds.Count; i++)
        {
            Row(i + 1, "off", rounds[i].Off);
            Row(i + 1, "on", rounds[i].On);
        }

        var throughputOff = rounds.Sum(r => r.Off.Throughput);
        var throughputOn = rounds.Sum(r => r.On.Throughput);
        var cpuOff = rounds.Sum(r => r.Off.CpuPercent ?? 0);
        var cpuOn = rounds.Sum(r => r.On.CpuPercent ?? 0);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"throughput on/off: {throughputOn / throughputOff:0.000} (cost {(1 - (throughputOn / throughputOff)) * 100:0.0} %; target ≤ 5 %)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CPU at {options.Rate} req/s on/off: {cpuOn / cpuOff:0.000}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p50 on - off: {rounds.Average(r => r.On.P50 - r.Off.P50):+0.00;-0.00} ms, TTFB p50 on - off: {rounds.Average(r => r.On.TtfbP50 - r.Off.TtfbP50):+0.00;-0.00} ms"));
    }

    private static void Row(int round, string telemetry, ContenderResult r)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {round} | {telemetry} | {r.Throughput:0} | {r.P50:0.00} | {r.P99:0.00} | {r.CpuPercent:0} | {r.TtfbP50:0.00} | {r.PeakRssMiB:0} | {r.Errors} |"));
}
