using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Gateway.Admin.Functions.Http;

internal static class DbErrors
{
    /// <summary>
    /// A unique index refused the row: a concurrent request created the same key, path or name
    /// between our check and our insert. Answered as the same 400 the check gives.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException exception)
        => exception?.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
