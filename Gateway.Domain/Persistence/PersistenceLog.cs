using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Persistence;

internal static partial class PersistenceLog
{
    [LoggerMessage(1000, LogLevel.Information, "Applying {Count} pending migration(s): {Migrations}")]
    public static partial void ApplyingMigrations(ILogger logger, int count, string migrations);

    [LoggerMessage(1001, LogLevel.Information, "Database schema is up to date")]
    public static partial void SchemaUpToDate(ILogger logger);
}
