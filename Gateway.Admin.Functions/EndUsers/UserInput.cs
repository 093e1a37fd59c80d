using Gateway.Admin.Functions.Http;
using Gateway.Admin.Functions.KeyManagement;
using Gateway.Admin.Functions.Limits;
using Gateway.Domain.Persistence;
using Gateway.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.EndUsers;

/// <summary>Validation of user bodies into <see cref="User"/> changes. A user is its <c>userId</c> with its sorted, distinct <c>tags</c>.</summary>
internal sealed class UserInput(GatewayDbContext db, TimeProvider time)
{
    private const int MaxNameLength = 256;
    private const int MaxUserIdLength = 256;

    public async Task<User?> CreateAsync(CreateUserRequest request, FieldErrors errors, CancellationToken ct)
    {
        var name = errors.Optional("name", request.Name, MaxNameLength) ?? string.Empty;
        var userId = errors.Optional("userId", request.UserId, MaxUserIdLength) ?? Guid.NewGuid().ToString();
        var tags = Sorted(errors.Strings("tags", request.Tags, KeyInput.MaxTagLength) ?? []);
        var keyIds = errors.Strings("keyIds", request.KeyIds, KeyInput.MaxIdLength) ?? [];
        var allowedModels = errors.Strings("allowedModels", request.AllowedModels, 256) ?? [];
        var limits = LimitFields.ForCreate(request, errors);
        if (!errors.Any)
        {
            await CheckKeysExistAsync(keyIds, errors, ct);
            await CheckUniqueAsync(userId, tags, exceptId: null, errors, ct);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return errors.Any ? null : new User
        {
            Id = Guid.NewGuid().ToString(),
            Name = name,
            UserId = userId,
            Tags = tags,
            KeyIds = keyIds,
            AllowedModels = allowedModels,
            Limits = limits,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public async Task UpdateAsync(UpdateUserRequest request, User user, FieldErrors errors, CancellationToken ct)
    {
        var name = request.Name is null ? null : errors.Optional("name", request.Name, MaxNameLength) ?? string.Empty;
        var tags = errors.Strings("tags", request.Tags, KeyInput.MaxTagLength) is { } given ? Sorted(given) : null;
        var keyIds = errors.Strings("keyIds", request.KeyIds, KeyInput.MaxIdLength);
        var allowedModels = errors.Strings("allowedModels", request.AllowedModels, 256);
        var limits = LimitFields.ForUpdate(request, user.Limits, errors);
        var revokedReason = request.RevokedReason is null ? null : errors.Optional("revokedReason", request.RevokedReason, 1024);
        if (!errors.Any)
        {
            if (keyIds is not null)
            {
                await CheckKeysExistAsync(keyIds, errors, ct);
            }

            if (tags is not null && !tags.SequenceEqual(user.Tags, StringComparer.Ordinal))
            {
                await CheckUniqueAsync(user.UserId, tags, user.Id, errors, ct);
            }
        }

        if (errors.Any)
        {
            return;
        }

        user.Name = name ?? user.Name;
        user.Tags = tags ?? user.Tags;
        user.KeyIds = keyIds ?? user.KeyIds;
        user.AllowedModels = allowedModels ?? user.AllowedModels;
        user.Limits = limits;
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
    }

    /// <summary>The tracked user whose userId and set of tags are exactly these (BricksLLM's <c>PATCH /api/users?userId=&amp;tags=</c>).</summary>
    public async Task<User?> FindAsync(string userId, List<string> tags, CancellationToken ct)
    {
        var candidates = await db.Users.Where(u => u.UserId == userId).ToListAsync(ct);
        return candidates.FirstOrDefault(u => u.Tags.SequenceEqual(tags, StringComparer.Ordinal));
    }

    public static List<string> Sorted(List<string> tags) => [.. tags.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public static string DuplicateMessage(string userId) => $"'{userId}' already has a user with the same tags: userId and tags together identify a user";

    private async Task CheckUniqueAsync(string userId, List<string> tags, string? exceptId, FieldErrors errors, CancellationToken ct)
    {
        var sameUserId = await db.Users.AsNoTracking().Where(u => u.UserId == userId && u.Id != exceptId).Select(u => u.Tags).ToListAsync(ct);
        if (sameUserId.Any(t => t.SequenceEqual(tags, StringComparer.Ordinal)))
        {
            errors.Add(exceptId is null ? "userId" : "tags", DuplicateMessage(userId));
        }
    }

    private async Task CheckKeysExistAsync(List<string> keyIds, FieldErrors errors, CancellationToken ct)
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
