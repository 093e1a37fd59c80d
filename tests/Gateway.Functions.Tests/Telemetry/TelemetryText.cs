using System.Diagnostics;

namespace Gateway.Functions.Tests.Telemetry;

/// <summary>Finds a text anywhere an exporter would send it: span names, attributes, events, log messages and attributes, metric attributes.</summary>
public static class TelemetryText
{
    public static List<string> Leaks(TelemetryCapture capture, string text)
    {
        ArgumentNullException.ThrowIfNull(capture);
        var found = new List<string>();
        void Check(string where, object? value)
        {
            if (value?.ToString() is { } s && s.Contains(text, StringComparison.Ordinal))
            {
                found.Add(where + ": " + s);
            }
        }

        foreach (var span in capture.Spans)
        {
            Check($"span {span.DisplayName} name", span.DisplayName);
            Check($"span {span.DisplayName} status", span.StatusDescription);
            foreach (var tag in span.TagObjects)
            {
                Check($"span {span.DisplayName} attribute {tag.Key}", tag.Value);
            }

            foreach (var spanEvent in span.Events)
            {
                Check($"span {span.DisplayName} event", spanEvent.Name);
                foreach (var tag in spanEvent.Tags)
                {
                    Check($"span {span.DisplayName} event attribute {tag.Key}", tag.Value);
                }
            }

            foreach (var baggage in span.Baggage)
            {
                Check($"span {span.DisplayName} baggage {baggage.Key}", baggage.Value);
            }
        }

        foreach (var log in capture.Logs)
        {
            var where = $"log {log.CategoryName} {log.EventId}";
            Check(where + " message", log.FormattedMessage);
            Check(where + " body", log.Body);
            Check(where + " exception", log.Exception);
            foreach (var attribute in log.Attributes ?? [])
            {
                Check($"{where} attribute {attribute.Key}", attribute.Value);
            }
        }

        foreach (var (metric, point) in capture.AllPoints())
        {
            foreach (var tag in TelemetryCapture.Tags(point))
            {
                Check($"metric {metric} attribute {tag.Key}", tag.Value);
            }
        }

        return found;
    }

    /// <summary>How many spans and log records a scan looked at: a scan of nothing proves nothing.</summary>
    public static (int Spans, int Logs) Scanned(TelemetryCapture capture)
    {
        ArgumentNullException.ThrowIfNull(capture);
        return (capture.Spans.Count(s => s.Kind is ActivityKind.Server or ActivityKind.Client), capture.Logs.Count);
    }
}
