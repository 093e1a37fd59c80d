using Gateway.Admin.Functions.Limits;

namespace Gateway.Admin.Functions.EndUsers;

/// <summary>Body of <c>POST /api/users</c>.</summary>
internal sealed class CreateUserRequest : LimitFieldsRequest
{
    public string? Name { get; set; }

    /// <summary>The id clients send (<c>user</c>, <c>metadata.user_id</c>); a new UUID when empty.</summary>
    public string? UserId { get; set; }

    public List<string?>? Tags { get; set; }

    public List<string?>? KeyIds { get; set; }

    public List<string?>? AllowedModels { get; set; }
}
