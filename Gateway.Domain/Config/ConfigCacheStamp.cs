namespace Gateway.Domain.Config;

/// <summary>
/// Which state of the Redis config cache a copy was read at: the version counter, and the
/// generation the counter belongs to.
/// </summary>
/// <remarks>
/// Versions are only comparable within one generation: when Redis loses its data the counter starts
/// again from 0, so "older" after a reset means nothing. A full rebuild from PostgreSQL always starts
/// a new, <see cref="Complete"/> generation (<c>rebuilt:…</c>); a write-through that finds no
/// generation (Redis came back empty) starts a partial one (<c>written:…</c>) that holds only the
/// rows written since.
/// </remarks>
public readonly record struct ConfigCacheStamp(long Version, string? Generation)
{
    private const string RebuiltPrefix = "rebuilt:";
    private const string WrittenPrefix = "written:";

    /// <summary>Whether the generation was written whole by a rebuild (rather than row by row onto an empty Redis).</summary>
    public bool Complete => Generation?.StartsWith(RebuiltPrefix, StringComparison.Ordinal) == true;

    public static string NewRebuiltGeneration() => RebuiltPrefix + Guid.NewGuid().ToString("n");

    public static string NewWrittenGeneration() => WrittenPrefix + Guid.NewGuid().ToString("n");
}
