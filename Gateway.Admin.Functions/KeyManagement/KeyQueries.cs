using Gateway.Domain.Keys;
using Gateway.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.KeyManagement;

/// <summary>The key list (<c>GET</c>, BricksLLM's filters) and the v2 search, over validated filters.</summary>
internal static class KeyQueries
{
    public static async Task<List<ApiKey>> ListAsync(GatewayDbContext db, List<string> tags, List<string> keyIds, string? provider, CancellationToken ct)
    {
        var query = db.Keys.AsNoTracking().Carrying(tags, keyIds);
        if (provider is not null)
        {
            var settingIds = await db.ProviderSettings.AsNoTracking().Where(s => s.Provider == provider).Select(s => s.Id).ToListAsync(ct);
            query = query.Where(k => k.SettingIds.Any(id => settingIds.Contains(id)));
        }

        return await query.OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId).ToListAsync(ct);
    }

    /// <summary>One page of matches and, when asked for, the number of all matches before paging.</summary>
    public static async Task<(List<ApiKey> Keys, int? Count)> SearchAsync(
        GatewayDbContext db, KeySearchRequest request, List<string> tags, List<string> keyIds, bool descending, CancellationToken ct)
    {
        var query = db.Keys.AsNoTracking().Carrying(tags, keyIds);
        if (!string.IsNullOrEmpty(request.Name))
        {
            var pattern = "%" + EscapeLike(request.Name) + "%";
            query = query.Where(k => EF.Functions.ILike(k.Name, pattern, "\\"));
        }

        if (request.Revoked is { } revoked)
        {
            query = query.Where(k => k.Revoked == revoked);
        }

        int? count = request.ReturnCount == true ? await query.CountAsync(ct) : null;
        query = descending
            ? query.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.KeyId)
            : query.OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId);
        if (request.Offset is > 0)
        {
            query = query.Skip(request.Offset.Value);
        }

        if (request.Limit is > 0)
        {
            query = query.Take(request.Limit.Value);
        }

        return (await query.ToListAsync(ct), count);
    }

    internal static string EscapeLike(string value)
        => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>Keys carrying all of <paramref name="tags"/> and, when given, among <paramref name="keyIds"/>.</summary>
    private static IQueryable<ApiKey> Carrying(this IQueryable<ApiKey> query, List<string> tags, List<string> keyIds)
    {
        if (tags.Count > 0)
        {
            query = query.Where(k => tags.All(t => k.Tags.Contains(t)));
        }

        return keyIds.Count > 0 ? query.Where(k => keyIds.Contains(k.KeyId)) : query;
    }
}
