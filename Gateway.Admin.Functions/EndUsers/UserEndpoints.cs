using Gateway.Admin.Functions.Http;
using Gateway.Admin.Functions.KeyManagement;
using Gateway.Admin.Functions.Limits;
using Gateway.Domain.Persistence;
using Gateway.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.EndUsers;

/// <summary>
/// <c>/api/users</c>: end users of a key owner's application, with their own limits. A user is
/// identified by its <c>userId</c> together with its (sorted, distinct) <c>tags</c>.
/// </summary>
internal static class UserEndpoints
{
    private const int MaxNameLength = 256;
    private const int MaxUserIdLength = 256;

    public static IEndpointRouteBuilder MapEndUsers(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var users = endpoints.MapGroup("/api/users").WithTags("Users").ProducesAdminProblems();
        users.MapPost(string.Empty, CreateAsync)
            .Accepts<CreateUserRequest>("application/json")
            .WithSummary("Create a user")
            .WithDescription("`userId` is the id clients send (OpenAI's `user`, Anthropic's `metadata.user_id`); a new UUID when empty. `userId` and `tags` together must be unique. `keyIds` must exist.");
        users.MapPatch("/{id}", UpdateByIdAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Accepts<UpdateUserRequest>("application/json")
            .WithSummary("Update a user by id");
        users.MapPatch(string.Empty, UpdateByUserIdAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Accepts<UpdateUserRequest>("application/json")
            .WithSummary("Update a user by userId and tags")
            .WithDescription("Query `userId` (required) and `tags` (repeated) select the user whose userId and set of tags are exactly these.");
        users.MapGet(string.Empty, ListAsync)
            .WithSummary("List users")
            .WithDescription("Filters (all optional, combined with AND): `tags` (users carrying all of them), `keyIds` (users linked to any of them), `userIds` (by `userId` or `id`). `offset` and `limit` page the result, newest first.");
        return endpoints;
    }

    internal static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext context, GatewayDbContext db, ConfigCachePublisher publisher, TimeProvider time, ILoggerFactory loggers)
    {
        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.CreateUserRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var request = body.Value!;
        var errors = new FieldErrors();
        var name = errors.Optional("name", request.Name, MaxNameLength) ?? string.Empty;
        var userId = errors.Optional("userId", request.UserId, MaxUserIdLength) ?? Guid.NewGuid().ToString();
        var tags = Sorted(errors.Strings("tags", request.Tags, KeyEndpoints.MaxTagLength) ?? []);
        var keyIds = errors.Strings("keyIds", request.KeyIds, KeyEndpoints.MaxIdLength) ?? [];
        var allowedModels = errors.Strings("allowedModels", request.AllowedModels, 256) ?? [];
        var limits = LimitFields.ForCreate(request, errors);
        var ct = context.RequestAborted;
        if (!errors.Any)
        {
            await CheckKeysExistAsync(db, keyIds, errors, ct);
            await CheckUniqueAsync(db, userId, tags, exceptId: null, errors, ct);
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var user = new User
        {
            Id = Guid.NewGuid().ToString(),
            Name = name,
            UserId = userId,
            Tags = tags,
            KeyIds = keyIds,
            AllowedModels = allowedModels,
            CreatedAt = now,
            UpdatedAt = now,
        };
        limits.ApplyTo(user);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            errors.Add("userId", DuplicateMessage(userId));
            return errors.ToProblem(context);
        }

        if (await publisher.UpsertAsync(context, user) is { } notPropagated)
        {
            return notPropagated;
        }

        ManagementLog.UserCreated(loggers.CreateLogger(typeof(UserEndpoints)), user.Id);
        return TypedResults.Ok(UserResponse.From(user));
    }

    internal static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> UpdateByIdAsync(
        string id, HttpContext context, GatewayDbContext db, ConfigCachePublisher publisher, TimeProvider time, ILoggerFactory loggers)
    {
        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.UpdateUserRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var user = AdminQuery.IsLookupable(id) ? await db.Users.FirstOrDefaultAsync(u => u.Id == id, context.RequestAborted) : null;
        return user is null
            ? AdminProblem.NotFoundResult(context, $"user {id} is not found")
            : await UpdateAsync(user, body.Value!, context, db, publisher, time, loggers);
    }

    /// <summary>BricksLLM's <c>PATCH /api/users?userId=&amp;tags=</c>.</summary>
    internal static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> UpdateByUserIdAsync(
        HttpContext context, GatewayDbContext db, ConfigCachePublisher publisher, TimeProvider time, ILoggerFactory loggers)
    {
        var errors = new FieldErrors();
        var userId = AdminQuery.Value(context, "userId", errors);
        var tags = Sorted(AdminQuery.Values(context, "tags", errors));
        if (userId is null && !errors.Any)
        {
            errors.Add("userId", "is required (query parameter): with tags it selects the user to update; or use PATCH /api/users/{id}");
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.UpdateUserRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var candidates = await db.Users.Where(u => u.UserId == userId).ToListAsync(context.RequestAborted);
        var user = candidates.FirstOrDefault(u => u.Tags.SequenceEqual(tags, StringComparer.Ordinal));
        return user is null
            ? AdminProblem.NotFoundResult(context, $"no user has userId {userId} and tags [{string.Join(", ", tags)}]")
            : await UpdateAsync(user, body.Value!, context, db, publisher, time, loggers);
    }

    internal static async Task<Results<Ok<List<UserResponse>>, ProblemHttpResult>> ListAsync(HttpContext context, GatewayDbContext db)
    {
        var errors = new FieldErrors();
        var tags = AdminQuery.Values(context, "tags", errors);
        var keyIds = AdminQuery.Values(context, "keyIds", errors);
        var userIds = AdminQuery.Values(context, "userIds", errors);
        var offset = AdminQuery.NonNegativeInt(context, "offset", errors);
        var limit = AdminQuery.NonNegativeInt(context, "limit", errors);
        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var query = db.Users.AsNoTracking();
        if (tags.Count > 0)
        {
            query = query.Where(u => tags.All(t => u.Tags.Contains(t)));
        }

        if (keyIds.Count > 0)
        {
            query = query.Where(u => u.KeyIds.Any(k => keyIds.Contains(k)));
        }

        if (userIds.Count > 0)
        {
            query = query.Where(u => userIds.Contains(u.UserId) || userIds.Contains(u.Id));
        }

        query = query.OrderByDescending(u => u.CreatedAt).ThenBy(u => u.Id);
        if (offset is > 0)
        {
            query = query.Skip(offset.Value);
        }

        if (limit is > 0)
        {
            query = query.Take(limit.Value);
        }

        var users = await query.ToListAsync(context.RequestAborted);
        return TypedResults.Ok(users.ConvertAll(UserResponse.From));
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> UpdateAsync(
        User user, UpdateUserRequest request, HttpContext context, GatewayDbContext db, ConfigCachePublisher publisher, TimeProvider time, ILoggerFactory loggers)
    {
        var errors = new FieldErrors();
        var name = request.Name is null ? null : errors.Optional("name", request.Name, MaxNameLength) ?? string.Empty;
        var tags = errors.Strings("tags", request.Tags, KeyEndpoints.MaxTagLength) is { } given ? Sorted(given) : null;
        var keyIds = errors.Strings("keyIds", request.KeyIds, KeyEndpoints.MaxIdLength);
        var allowedModels = errors.Strings("allowedModels", request.AllowedModels, 256);
        var limits = LimitFields.ForUpdate(request, LimitSettings.Of(user), errors);
        var revokedReason = request.RevokedReason is null ? null : errors.Optional("revokedReason", request.RevokedReason, 1024);
        var ct = context.RequestAborted;
        if (!errors.Any)
        {
            if (keyIds is not null)
            {
                await CheckKeysExistAsync(db, keyIds, errors, ct);
            }

            if (tags is not null && !tags.SequenceEqual(user.Tags, StringComparer.Ordinal))
            {
                await CheckUniqueAsync(db, user.UserId, tags, user.Id, errors, ct);
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        user.Name = name ?? user.Name;
        user.Tags = tags ?? user.Tags;
        user.KeyIds = keyIds ?? user.KeyIds;
        user.AllowedModels = allowedModels ?? user.AllowedModels;
        limits.ApplyTo(user);
        if (request.Revoked is { } revoked)
        {
            user.Revoked = revoked;
            user.RevokedReason = revoked ? revokedReason ?? user.RevokedReason : null;
        }
        else if (request.RevokedReason is not null)
        {
            user.RevokedReason = revokedReason;
        }

        user.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            errors.Add("tags", DuplicateMessage(user.UserId));
            return errors.ToProblem(context);
        }

        if (await publisher.UpsertAsync(context, user) is { } notPropagated)
        {
            return notPropagated;
        }

        ManagementLog.UserUpdated(loggers.CreateLogger(typeof(UserEndpoints)), user.Id);
        return TypedResults.Ok(UserResponse.From(user));
    }

    private static List<string> Sorted(List<string> tags) => [.. tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static string DuplicateMessage(string userId) => $"'{userId}' already has a user with the same tags: userId and tags together identify a user";

    private static async Task CheckUniqueAsync(GatewayDbContext db, string userId, List<string> tags, string? exceptId, FieldErrors errors, CancellationToken ct)
    {
        var sameUserId = await db.Users.AsNoTracking().Where(u => u.UserId == userId && u.Id != exceptId).Select(u => u.Tags).ToListAsync(ct);
        if (sameUserId.Any(t => t.SequenceEqual(tags, StringComparer.Ordinal)))
        {
            errors.Add(exceptId is null ? "userId" : "tags", DuplicateMessage(userId));
        }
    }

    private static async Task CheckKeysExistAsync(GatewayDbContext db, List<string> keyIds, FieldErrors errors, CancellationToken ct)
    {
        if (keyIds.Count == 0)
        {
            return;
        }

        var found = await db.Keys.AsNoTracking().Where(k => keyIds.Contains(k.KeyId)).Select(k => k.KeyId).ToListAsync(ct);
        foreach (var missing in keyIds.Except(found, StringComparer.Ordinal))
        {
            errors.Add("keyIds", $"contains '{missing}', which is not a key id");
        }
    }
}
