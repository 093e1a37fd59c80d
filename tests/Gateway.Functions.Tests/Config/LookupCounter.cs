using System.Diagnostics.Metrics;

namespace Gateway.Functions.Tests.Config;

/// <summary>Counts <c>gateway.keys.redis_lookups</c> by outcome, for one app's meter factory only (other tests run alongside).</summary>
public sealed class LookupCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public LookupCounter(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "gateway.keys.redis_lookups" && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var outcome = string.Empty;
            foreach (var tag in tags)
            {
                if (tag.Key == "outcome")
                {
                    outcome = tag.Value as string ?? string.Empty;
                }
            }

            lock (_counts)
            {
                _counts[outcome] = _counts.GetValueOrDefault(outcome) + value;
            }
        });
        _listener.Start();
    }

    public long this[string outcome]
    {
        get
        {
            lock (_counts)
            {
                return _counts.GetValueOrDefault(outcome);
            }
        }
    }

    /// <summary>Lookups that reached Redis (found, unknown or failed; shed ones did not).</summary>
    public long RedisCalls => this["found"] + this["unknown"] + this["failed"];

    public void Dispose() => _listener.Dispose();
}
