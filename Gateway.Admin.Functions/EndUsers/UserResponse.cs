using Gateway.Admin.Functions.Limits;
using Gateway.Domain.Users;

namespace Gateway.Admin.Functions.EndUsers;

/// <summary>A user as BricksLLM shows it; unset limits are 0 and unset strings empty.</summary>
internal sealed class UserResponse : LimitFieldsResponse
{
    private UserResponse(User user)
        : base(user.Limits)
    {
        Id = user.Id;
        Name = user.Name;
        UserId = user.UserId;
        Tags = user.Tags;
        KeyIds = user.KeyIds;
        Revoked = user.Revoked;
        RevokedReason = user.RevokedReason ?? string.Empty;
        AllowedModels = user.AllowedModels;
        CreatedAt = user.CreatedAt;
        UpdatedAt = user.UpdatedAt;
    }

    public string Id { get; }

    public string Name { get; }

    public string UserId { get; }

    public List<string> Tags { get; }

    public List<string> KeyIds { get; }

    public bool Revoked { get; }

    public string RevokedReason { get; }

    public List<string> AllowedModels { get; }

    public long CreatedAt { get; }

    public long UpdatedAt { get; }

    public static UserResponse From(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new UserResponse(user);
    }
}
