using System.Collections.Concurrent;

namespace Gateway.Domain.Telemetry;

/// <summary>
/// Keeps a metric attribute's cardinality bounded: the first <c>limit</c> distinct values pass as
/// they are, any later one becomes <see cref="Other"/>. A value once admitted stays admitted (its
/// series already exists), so the answer for a value never changes within a process.
/// </summary>
public sealed class BoundedAttributeValues(int limit)
{
    public const string Other = "_other";

    private readonly ConcurrentDictionary<string, bool> _admitted = new(StringComparer.Ordinal);
    private int _count;

    public string Admit(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_admitted.ContainsKey(value))
        {
            return value;
        }

        return AdmitSlow(value);
    }

    private string AdmitSlow(string value)
    {
        if (Interlocked.Increment(ref _count) > limit)
        {
            Interlocked.Decrement(ref _count);
            return Other;
        }

        if (!_admitted.TryAdd(value, true))
        {
            // Another thread admitted it first: give back the slot.
            Interlocked.Decrement(ref _count);
        }

        return value;
    }
}
