using System.Globalization;

namespace Gateway.Benchmarks;

/// <summary>Prints the gateway with telemetry off and on, round by round, and the cost of telemetry (issue 17's target: ≤ 5 %).</summary>
internal static class TelemetryReport
{
    /// <summary>What each round measures, in this order: off, metrics only (Prometheus aggregating), everything (spans too).</summary>
    public static readonly (string Name, Dictionary<string, string> Settings)[] Variants =
    [
        ("off", new() { ["Telemetry__Enabled"] = "false" }),
        ("metrics", new() { ["Telemetry__Enabled"] = "true", ["Telemetry__Traces"] = "false", ["Telemetry__Prometheus__Enabled"] = "true" }),
        ("on", new() { ["Telemetry__Enabled"] = "true", ["Telemetry__Traces"] = "true", ["Telemetry__Prometheus__Enabled"] = "true" }),
    ];

    public static void Print(IReadOnlyList<ContenderResult[]> rounds, BenchmarkOptions options)
    {
        Console.WriteLine();
        Console.WriteLine($"| round | telemetry | throughput, {options.Concurrency} connections (req/s) | p50 at {options.Rate} req/s (ms) | p99 (ms) | CPU (% of one core) | TTFB p50 (ms) | peak RSS (MiB) | non-2xx |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        for (var i = 0; i < rounds.Count; i++)
        {
            for (var v = 0; v < Variants.Length; v++)
            {
                var r = rounds[i][v];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i + 1} | {Variants[v].Name} | {r.Throughput:0} | {r.P50:0.00} | {r.P99:0.00} | {r.CpuPercent:0} | {r.TtfbP50:0.00} | {r.PeakRssMiB:0} | {r.Errors} |"));
            }
        }

        Console.WriteLine();
        for (var v = 1; v < Variants.Length; v++)
        {
            var throughput = rounds.Sum(r => r[v].Throughput) / rounds.Sum(r => r[0].Throughput);
            var cpu = rounds.Sum(r => r[v].CpuPercent ?? 0) / rounds.Sum(r => r[0].CpuPercent ?? 0);
            var p50 = rounds.Average(r => r[v].P50 - r[0].P50);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Variants[v].Name} vs off: throughput {throughput:0.000}× (cost {(1 - throughput) * 100:0.0} %; target ≤ 5 %), CPU at {options.Rate} req/s {cpu:0.000}×, p50 {p50:+0.00;-0.00} ms"));
        }
    }
}
