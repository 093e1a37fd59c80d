namespace Gateway.Domain.Config;

/// <summary>The proxy's current <see cref="ConfigSnapshot"/>; reads are a volatile field load.</summary>
public sealed class ConfigSnapshotHolder
{
    private ConfigSnapshot _current = ConfigSnapshot.Empty;

    public ConfigSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Whether a cache at <paramref name="stamp"/> is news for a copy at <paramref name="current"/>.</summary>
    /// <remarks>A cache without a generation (written before generations existed, or Redis empty) compares by version only, and never replaces a copy that has a generation.</remarks>
    public static bool IsNewer(ConfigCacheStamp stamp, ConfigCacheStamp current)
        => stamp.Generation is null
            ? current.Generation is null && stamp.Version > current.Version
            : stamp.Generation != current.Generation || stamp.Version > current.Version;

    /// <summary>
    /// Installs what was read from Redis at <paramref name="stamp"/>, unless the copy in place is
    /// as new; returns whether anything changed.
    /// </summary>
    /// <remarks>
    /// Within a generation a higher version wins. Across generations (Redis lost its data, or a
    /// rebuild ran) the cache is taken whatever its version, because after a reset the counter
    /// starts again from 0. A cache with no generation (Redis empty) is never taken over a copy
    /// that has rows. A partial generation (rows written onto an empty Redis before the next
    /// rebuild) is laid over a complete copy rather than replacing it, so that the rows nobody
    /// rewrote are not lost and every write since the reset, a revocation too, applies at once.
    /// </remarks>
    public bool Apply(ConfigCacheStamp stamp, ConfigData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (stamp.Generation is null && current.Stamp.Generation is not null)
            {
                return false;
            }

            if (stamp.Generation == current.Stamp.Generation && stamp.Version < current.Version)
            {
                return false;
            }

            var next = !stamp.Complete && current.Complete
                ? current.Overlay(stamp, data)
                : ConfigSnapshot.Create(stamp, data);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, next, current), current))
            {
                return true;
            }
        }
    }

    /// <summary>Installs <paramref name="snapshot"/> unless a newer one of the same generation is already in place.</summary>
    public bool TryReplace(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current.Stamp.Generation == snapshot.Stamp.Generation && current.Version > snapshot.Version)
            {
                return false;
            }

            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, snapshot, current), current))
            {
                return true;
            }
        }
    }
}
