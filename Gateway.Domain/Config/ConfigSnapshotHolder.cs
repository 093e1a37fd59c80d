namespace Gateway.Domain.Config;

/// <summary>The proxy's current <see cref="ConfigSnapshot"/>; reads are a volatile field load.</summary>
public sealed class ConfigSnapshotHolder
{
    private ConfigSnapshot _current = ConfigSnapshot.Empty;

    public ConfigSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Installs <paramref name="snapshot"/> unless a newer one is already in place.</summary>
    public bool TryReplace(ConfigSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current.Version > snapshot.Version)
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
