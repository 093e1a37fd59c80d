using System.Collections.Concurrent;
using System.Globalization;
using Gateway.Domain.Providers;

namespace Gateway.Domain.Routing;

/// <summary>
/// Smooth weighted round robin (nginx's algorithm) over a key's settings of one provider, per
/// key: with weights 2 and 1 the order is a, b, a, a, b, a ... without bursts. A setting's weight
/// is its <c>weight</c> parameter (a whole number from 1, default 1).
/// </summary>
public sealed class WeightedRotation
{
    public const string WeightParameter = "weight";
    private const int MaxWeight = 1000;

    private readonly ConcurrentDictionary<string, Dictionary<string, long>> _current = new(StringComparer.Ordinal);

    public static int WeightOf(ProviderSetting setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return setting.Parameters.TryGetValue(WeightParameter, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var weight) && weight >= 1
            ? Math.Min(weight, MaxWeight)
            : 1;
    }

    /// <summary>
    /// The index in <paramref name="candidates"/> of the setting to use for this request of
    /// <paramref name="rotationKey"/>. Candidates may change between requests (health); a setting
    /// keeps its accumulated share while it is absent.
    /// </summary>
    public int Next(string rotationKey, IReadOnlyList<ProviderSetting> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfZero(candidates.Count);
        if (candidates.Count == 1)
        {
            return 0;
        }

        var current = _current.GetOrAdd(rotationKey, static _ => new Dictionary<string, long>(StringComparer.Ordinal));
        lock (current)
        {
            long total = 0;
            var best = -1;
            long bestValue = long.MinValue;
            for (var i = 0; i < candidates.Count; i++)
            {
                var weight = WeightOf(candidates[i]);
                total += weight;
                var value = current.GetValueOrDefault(candidates[i].Id) + weight;
                current[candidates[i].Id] = value;
                if (value > bestValue)
                {
                    best = i;
                    bestValue = value;
                }
            }

            current[candidates[best].Id] = bestValue - total;
            return best;
        }
    }
}
