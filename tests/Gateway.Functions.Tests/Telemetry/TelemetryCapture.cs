using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Functions.Tests.Telemetry;

/// <summary>What an app exported, through OpenTelemetry's in-memory exporters added next to its own.</summary>
public sealed class TelemetryCapture
{
    private readonly List<Activity> _spans = [];
    private readonly List<LogRecord> _logs = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private IServiceProvider? _services;

    /// <summary>Adds the in-memory exporters to the app's OpenTelemetry (the app registers its own first).</summary>
    public void AddTo(IServiceCollection services)
        => services.AddOpenTelemetry()
            .WithTracing(t => t.AddInMemoryExporter(_spans))
            .WithMetrics(m => m.AddInMemoryExporter(_metrics))
            .WithLogging(l => l.AddInMemoryExporter(_logs));

    public void Attach(IServiceProvider services) => _services = services;

    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    public IReadOnlyList<LogRecord> Logs
    {
        get
        {
            lock (_logs)
            {
                return [.. _logs];
            }
        }
    }

    /// <summary>Collects the metrics now and returns the points of <paramref name="name"/>.</summary>
    public IReadOnlyList<MetricPoint> Points(string name)
    {
        lock (_metrics)
        {
            _metrics.Clear();
            _services!.GetRequiredService<MeterProvider>().ForceFlush();
            var points = new List<MetricPoint>();
            foreach (var snapshot in _metrics.Where(m => m.Name == name))
            {
                points.AddRange(snapshot.MetricPoints);
            }

            return points;
        }
    }

    /// <summary>Every metric point collected now, with its metric's name.</summary>
    public IReadOnlyList<(string Metric, MetricPoint Point)> AllPoints()
    {
        lock (_metrics)
        {
            _metrics.Clear();
            _services!.GetRequiredService<MeterProvider>().ForceFlush();
            return [.. _metrics.SelectMany(m => m.MetricPoints.Select(p => (m.Name, p)))];
        }
    }

    /// <summary>The sum of a counter's points whose attributes include all of <paramref name="match"/>.</summary>
    public long Count(string name, params (string Key, object Value)[] match)
        => Points(name).Where(p => Matches(p, match)).Sum(p => p.GetSumLong());

    /// <summary>The number of measurements in a histogram's matching points.</summary>
    public long HistogramCount(string name, params (string Key, object Value)[] match)
        => Points(name).Where(p => Matches(p, match)).Sum(p => p.GetHistogramCount());

    public static Dictionary<string, object?> Tags(MetricPoint point)
    {
        var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in point.Tags)
        {
            tags[tag.Key] = tag.Value;
        }

        return tags;
    }

    private static bool Matches(MetricPoint point, (string Key, object Value)[] match)
    {
        var tags = Tags(point);
        return match.All(m => tags.TryGetValue(m.Key, out var value) && Equals(Normalize(value), Normalize(m.Value)));
    }

    private static object? Normalize(object? value) => value switch
    {
        int i => (long)i,
        _ => value,
    };
}
