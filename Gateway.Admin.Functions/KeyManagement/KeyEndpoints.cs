using Gateway.Admin.Functions.Http;
using Gateway.Admin.Functions.Limits;
using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.KeyManagement;

/// <summary>
/// BricksLLM's key management: <c>/api/key-management/keys</c> and the v2 search. The raw key is
/// hashed on arrival and then forgotten: it is never stored, returned, cached or logged.
/// </summary>
internal static class KeyEndpoints
{
    public const int MaxNameLength = 256;
    public const int MaxTagLength = 256;
    public const int MaxIdLength = 64;
    public const int MaxRawKeyLength = 4096;

    public static IEndpointRouteBuilder MapKeyManagement(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var keys = endpoints.MapGroup("/api/key-management/keys").WithTags("Keys").ProducesAdminProblems();
        keys.MapPut(string.Empty, CreateAsync)
            .Accepts<CreateKeyRequest>("application/json")
            .WithSummary("Create a key")
            .WithDescription("`key` is the secret clients will send; it is stored only as a SHA-256 hash and never returned. `settingIds` is required (the deprecated `settingId` is merged into it).");
        keys.MapGet(string.Empty, ListAsync)
            .WithSummary("List keys by tag, tags, keyIds or provider")
            .WithDescription("At least one of the query parameters `tag`, `tags` (repeated), `keyIds` (repeated) or `provider` is required; they combine with AND. Use `POST /api/v2/key-management/keys` to list all keys.");
        keys.MapPatch("/{keyId}", UpdateAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Accepts<UpdateKeyRequest>("application/json")
            .WithSummary("Update a key")
            .WithDescription("Only the fields given change. A limit amount and its unit are given together; 0 with an empty unit removes the limit; an empty `ttl` removes the ttl.");
        keys.MapDelete("/{keyId}", DeleteAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Delete a key")
            .WithDescription("The key stops working on every proxy instance at once (config cache invalidation).");
        endpoints.MapPost("/api/v2/key-management/keys", SearchAsync)
            .WithTags("Keys")
            .ProducesAdminProblems()
            .Accepts<KeySearchRequest>("application/json")
            .WithSummary("Search keys")
            .WithDescription("Filters combine with AND; `order` sorts by creation time (default `desc`); `count` is all matches before paging, returned when `returnCount` is true.");
        return endpoints;
    }

    internal static async Task<Results<Ok<KeyResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext context, GatewayDbContext db, ConfigCachePublisher publisher, TimeProvider time, ILoggerFactory loggers)
    {
        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.CreateKeyRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var request = body.Value!;
        var errors = new FieldErrors();
        var name = errors.Required("name", request.Name, MaxNameLength);
        if (string.IsNullOrEmpty(request.Key))
        {
            errors.Add("key", "is required: it is the secret clients will send");
        }
        else if (request.Key.Length > MaxRawKeyLength)
        {
            errors.Add("key", $"must be at most {MaxRawKeyLength} characters");
        }

        var tags = errors.Strings("tags", request.Tags, MaxTagLength) ?? [];
        var settingIds = MergeSettingIds(errors, request.SettingId, request.SettingIds);
        if (settingIds is null or { Count: 0 })
        {
            errors.Add("settingIds", "is required: the ids of the provider settings this key may use");
        }

        var limits = LimitFields.ForCreate(request, errors);
        var policyId = errors.Optional("policyId", request.PolicyId, MaxIdLength);
        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var ct = context.RequestAborted;
        await CheckSettingsExistAsync(db, settingIds!, errors, ct);
        var hash = ApiKeyHash.Compute(request.Key).ToHex();
        if (await db.Keys.AnyAsync(k => k.KeyHash == hash, ct))
        {
            errors.Add("key", DuplicateKeyMessage);
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var key = new ApiKey
        {
            KeyId = Guid.NewGuid().ToString(),
            Name = name,
            KeyHash = hash,
            Tags = tags,
            CreatedAt = now,
            UpdatedAt = now,
            SettingIds = settingIds!,
            ShouldLogRequest = request.ShouldLogRequest ?? false,
            ShouldLogResponse = request.ShouldLogResponse ?? false,
            RotationEnabled = request.RotationEnabled ?? false,
            PolicyId = policyId,
        };
        limits.ApplyTo(key);
        db.Keys.Add(key);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            errors.Add("key", DuplicateKeyMessage);
            return errors.ToProblem(context);
        }

        if (await publisher.UpsertAsync(context, key) is { } notPropagated)
        {
            return notPropagated;
        }

        ManagementLog.KeyCreated(loggers.CreateLogger(typeof(KeyEndpoints)), key.KeyId);
        return TypedResults.Ok(KeyResponse.From(key));
    }

    internal static async Task<Results<Ok<List<KeyResponse>>, ProblemHttpResult>> ListAsync(HttpContext context, GatewayDbContext db)
    {
        var errors = new FieldErrors();
        // BricksLLM reads one `tag` and the repeated `tags`; both select keys carrying all of them.
        var tags = AdminQuery.Values(context, "tag", errors).Union(AdminQuery.Values(context, "tags", errors), StringComparer.Ordinal).ToList();

        var keyIds = AdminQuery.Values(context, "keyIds", errors);
        var provider = AdminQuery.Value(context, "provider", errors);
        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        if (tags.Count == 0 && keyIds.Count == 0 && provider is null)
        {
            return AdminProblem.BadRequest(
                context,
                "one of the query parameters tag, tags, keyIds or provider is required; POST /api/v2/key-management/keys lists all keys",
                AdminProblem.MissingFilters);
        }

        var ct = context.RequestAborted;
        var query = db.Keys.AsNoTracking();
        if (tags.Count > 0)
        {
            query = query.Where(k => tags.All(t => k.Tags.Contains(t)));
        }

        if (keyIds.Count > 0)
        {
            query = query.Where(k => keyIds.Contains(k.KeyId));
        }

        if (provider is not null)
        {
            var settingIds = await db.ProviderSettings.AsNoTracking().Where(s => s.Provider == provider).Select(s => s.Id).ToListAsync(ct);
            query = query.Where(k => k.SettingIds.Any(id => settingIds.Contains(id)));
        }

        var keys = await query.OrderBy(k => k.CreatedAt).ThenBy(k => k.KeyId).ToListAsync(ct);
        return TypedResults.Ok(keys.ConvertAll(KeyResponse.From));
    }

    internal static async Task<Results<Ok<KeyResponse>, ProblemHttpResult>> UpdateAsync(
        string keyId, HttpContext context, GatewayDbContext db, ConfigCachePublisher publisher, TimeProvider time, ILoggerFactory loggers)
    {
        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.UpdateKeyRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var ct = context.RequestAborted;
        var key = AdminQuery.IsLookupable(keyId) ? await db.Keys.FirstOrDefaultAsync(k => k.KeyId == keyId, ct) : null;
        if (key is null)
        {
            return NotFound(context, keyId);
        }

        var request = body.Value!;
        var errors = new FieldErrors();
        if (request.Key is not null)
        {
            errors.Add("key", "cannot be changed: create a new key and delete this one");
        }

        var name = request.Name is null ? null : errors.Required("name", request.Name, MaxNameLength);
        var tags = errors.Strings("tags", request.Tags, MaxTagLength);
        var settingIds = MergeSettingIds(errors, request.SettingId, request.SettingIds);
        if (settingIds is { Count: 0 })
        {
            errors.Add("settingIds", "must not be empty: a key needs at least one provider setting");
        }

        var limits = LimitFields.ForUpdate(request, LimitSettings.Of(key), errors);
        var revokedReason = request.RevokedReason is null ? null : errors.Optional("revokedReason", request.RevokedReason, 1024);
        var policyId = request.PolicyId is null ? null : errors.Optional("policyId", request.PolicyId, MaxIdLength);
        if (!errors.Any && settingIds is { Count: > 0 })
        {
            await CheckSettingsExistAsync(db, settingIds, errors, ct);
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        key.Name = name ?? key.Name;
        key.Tags = tags ?? key.Tags;
        key.SettingIds = settingIds ?? key.SettingIds;
        limits.ApplyTo(key);
        key.ShouldLogRequest = request.ShouldLogRequest ?? key.ShouldLogRequest;
        key.ShouldLogResponse = request.ShouldLogResponse ?? key.ShouldLogResponse;
        key.RotationEnabled = request.RotationEnabled ?? key.RotationEnabled;
        key.PolicyId = request.PolicyId is null ? key.PolicyId : policyId;
        if (request.Revoked is { } revoked)
        {
            key.Revoked = revoked;

            // Un-revoking clears the reason, as BricksLLM does.
            key.RevokedReason = revoked ? revokedReason ?? key.RevokedReason : null;
        }
        else if (request.RevokedReason is not null)
        {
            key.RevokedReason = revokedReason;
        }

        key.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        await db.SaveChangesAsync(ct);
        if (await publisher.UpsertAsync(context, key) is { } notPropagated)
        {
            return notPropagated;
        }

        ManagementLog.KeyUpdated(loggers.CreateLogger(typeof(KeyEndpoints)), key.KeyId, key.Revoked);
        return TypedResults.Ok(KeyResponse.From(key));
    }

    /// <summary>BricksLLM answers 200 with an empty body; an unknown id is a 404 here.</summary>
    internal static async Task<Results<Ok, ProblemHttpResult>> DeleteAsync(
        string keyId, HttpContext context, GatewayDbContext db, ConfigCachePublisher publisher, ILoggerFactory loggers)
    {
        var ct = context.RequestAborted;
        var deleted = AdminQuery.IsLookupable(keyId) ? await db.Keys.Where(k => k.KeyId == keyId).ExecuteDeleteAsync(ct) : 0;
        if (deleted == 0)
        {
            return NotFound(context, keyId);
        }

        if (await publisher.RemoveAsync(context, ConfigEntityKind.Key, keyId) is { } notPropagated)
        {
            return notPropagated;
        }

        ManagementLog.KeyDeleted(loggers.CreateLogger(typeof(KeyEndpoints)), keyId);
        return TypedResults.Ok();
    }

    internal static async Task<Results<Ok<KeySearchResponse>, ProblemHttpResult>> SearchAsync(HttpContext context, GatewayDbContext db)
    {
        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.KeySearchRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var request = body.Value!;
        var errors = new FieldErrors();
        var keyIds = errors.Strings("keyIds", request.KeyIds, 256) ?? [];
        var tags = errors.Strings("tags", request.Tags, MaxTagLength) ?? [];
        if (request.Limit < 0)
        {
            errors.Add("limit", "must not be negative");
        }

        if (request.Offset < 0)
        {
            errors.Add("offset", "must not be negative");
        }

        var descending = true;
        if (!string.IsNullOrEmpty(request.Order))
        {
            if (string.Equals(request.Order, "asc", StringComparison.OrdinalIgnoreCase))
            {
                descending = false;
            }
            else if (!string.Equals(request.Order, "desc", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("order", "must be asc or desc");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var query = db.Keys.AsNoTracking();
        if (tags.Count > 0)
        {
            query = query.Where(k => tags.All(t => k.Tags.Contains(t)));
        }

        if (keyIds.Count > 0)
        {
            query = query.Where(k => keyIds.Contains(k.KeyId));
        }

        if (!string.IsNullOrEmpty(request.Name))
        {
            var pattern = "%" + EscapeLike(request.Name) + "%";
            query = query.Where(k => EF.Functions.ILike(k.Name, pattern, "\\"));
        }

        if (request.Revoked is { } revoked)
        {
            query = query.Where(k => k.Revoked == revoked);
        }

        var ct = context.RequestAborted;
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

        var keys = await query.ToListAsync(ct);
        return TypedResults.Ok(new KeySearchResponse { Keys = keys.ConvertAll(KeyResponse.From), Count = count });
    }

    private const string DuplicateKeyMessage = "is already used by another key: every key's secret must be unique";

    private static ProblemHttpResult NotFound(HttpContext context, string keyId)
        => AdminProblem.NotFoundResult(context, $"key {keyId} is not found");

    /// <summary><c>settingIds</c> plus the deprecated <c>settingId</c>, validated and deduplicated; null when neither was given.</summary>
    private static List<string>? MergeSettingIds(FieldErrors errors, string? settingId, List<string?>? settingIds)
    {
        var merged = errors.Strings("settingIds", settingIds, MaxIdLength);
        if (!string.IsNullOrEmpty(settingId))
        {
            merged ??= [];
            if (settingId.Length > MaxIdLength)
            {
                errors.Add("settingId", $"must be at most {MaxIdLength} characters");
            }
            else if (!merged.Contains(settingId, StringComparer.Ordinal))
            {
                merged.Insert(0, settingId);
            }
        }

        return merged;
    }

    private static async Task CheckSettingsExistAsync(GatewayDbContext db, List<string> settingIds, FieldErrors errors, CancellationToken ct)
    {
        var found = await db.ProviderSettings.AsNoTracking().Where(s => settingIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        foreach (var missing in settingIds.Except(found, StringComparer.Ordinal))
        {
            errors.Add("settingIds", $"contains '{missing}', which is not a provider setting id");
        }
    }

    internal static string EscapeLike(string value)
        => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
