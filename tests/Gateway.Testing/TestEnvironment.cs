namespace Gateway.Testing;

/// <summary>
/// Where the real services the tests use are: PostgreSQL, Redis and Azurite on loopback,
/// started by <c>scripts/test.sh</c>. Override with GATEWAY_TEST_PG, GATEWAY_TEST_REDIS and
/// GATEWAY_TEST_STORAGE.
/// </summary>
public static class TestEnvironment
{
    public static string PostgresAdminConnectionString { get; } =
        Environment.GetEnvironmentVariable("GATEWAY_TEST_PG")
        ?? "Host=127.0.0.1;Port=5432;Username=gateway;Password=gateway;Database=postgres";

    public static string RedisConnectionString { get; } =
        Environment.GetEnvironmentVariable("GATEWAY_TEST_REDIS") ?? "127.0.0.1:6379";

    /// <summary>Azurite's well-known development connection string (published by Microsoft; not a secret).</summary>
    public static string StorageConnectionString { get; } =
        Environment.GetEnvironmentVariable("GATEWAY_TEST_STORAGE") ?? "UseDevelopmentStorage=true";

    /// <summary>A name no other test uses: for databases, Redis key prefixes and queues.</summary>
    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid():n}"[..Math.Min(prefix.Length + 20, prefix.Length + 32)];
}
