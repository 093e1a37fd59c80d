using System.Globalization;

namespace Gateway.Benchmarks;

/// <summary>Prints the contenders side by side and the gateway's ratios to bare YARP against the issue's targets.</summary>
internal static class Report
{
    public static void Print(IReadOnlyList<ContenderResult> results, BenchmarkOptions options)
    {
        var direct = results.Single(r => r.Name == "upstream direct");
        var yarp = results.Single(r => r.Name == "bare YARP");
        var gateway = results.Single(r => r.Name == "gateway");
        Console.WriteLine();
        Console.WriteLine("| measure | upstream direct | bare YARP | gateway | gateway vs YARP | target | met |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        Row($"throughput, {options.Concurrency} connections (req/s)", direct.Throughput, yarp.Throughput, gateway.Throughput, "0", Ratio(gateway.Throughput, yarp.Throughput), "≥ 0.8×", gateway.Throughput >= 0.8 * yarp.Throughput);
        Row($"proxy CPU per request, {options.Concurrency} connections (µs)", null, yarp.ClosedCpuPerRequest, gateway.ClosedCpuPerRequest, "0", Ratio(gateway.ClosedCpuPerRequest!.Value, yarp.ClosedCpuPerRequest!.Value), "≤ 1.25× (≈ 0.8× capacity)", gateway.ClosedCpuPerRequest <= 1.25 * yarp.ClosedCpuPerRequest);
        Row($"proxy CPU, {options.Concurrency} connections (% of its core)", null, yarp.ClosedCpuPercent, gateway.ClosedCpuPercent, "0", string.Empty, string.Empty, null);
        Row($"latency p50 at {options.Rate} req/s (ms)", direct.P50, yarp.P50, gateway.P50, "0.00", Delta(gateway.P50, yarp.P50), "≤ +0.3 ms", gateway.P50 <= yarp.P50 + 0.3);
        Row($"latency p99 at {options.Rate} req/s (ms)", direct.P99, yarp.P99, gateway.P99, "0.00", Delta(gateway.P99, yarp.P99), "≤ +1 ms", gateway.P99 <= yarp.P99 + 1);
        Row($"proxy CPU at {options.Rate} req/s (% of one core)", null, yarp.CpuPercent, gateway.CpuPercent, "0", Ratio(gateway.CpuPercent!.Value, yarp.CpuPercent!.Value), "≤ 1.25×", gateway.CpuPercent <= 1.25 * yarp.CpuPercent);
        Row($"streaming TTFB p50 at {options.Rate} req/s (ms)", direct.TtfbP50, yarp.TtfbP50, gateway.TtfbP50, "0.00", Delta(gateway.TtfbP50, yarp.TtfbP50), "≤ +0.5 ms", gateway.TtfbP50 <= yarp.TtfbP50 + 0.5);
        Row($"streaming TTFB p99 at {options.Rate} req/s (ms)", direct.TtfbP99, yarp.TtfbP99, gateway.TtfbP99, "0.00", Delta(gateway.TtfbP99, yarp.TtfbP99), string.Empty, null);
        Row("answers other than 2xx (all phases)", direct.Errors, yarp.Errors, gateway.Errors, "0", string.Empty, "0", gateway.Errors == 0);
        if (gateway.ErrorStatuses.Length > 0 || yarp.ErrorStatuses.Length > 0)
        {
            Console.WriteLine($"non-2xx by status: bare YARP {yarp.ErrorStatuses}; gateway {gateway.ErrorStatuses}");
        }

        Row("peak RSS, VmHWM (MiB)", null, yarp.PeakRssMiB, gateway.PeakRssMiB, "0", Ratio(gateway.PeakRssMiB!.Value, yarp.PeakRssMiB!.Value), "≤ 150 MiB", gateway.PeakRssMiB <= 150);
    }

    private static void Row(string measure, double? direct, double? yarp, double? gateway, string format, string versus, string target, bool? met)
        => Console.WriteLine($"| {measure} | {Format(direct, format)} | {Format(yarp, format)} | {Format(gateway, format)} | {versus} | {target} | {(met is null ? string.Empty : met.Value ? "yes" : "no")} |");

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Ratio(double value, double reference) => (value / reference).ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static string Delta(double value, double reference) => (value - reference).ToString("+0.00;-0.00", CultureInfo.InvariantCulture) + " ms";
}
