using Gateway.Admin.Functions.Limits;

namespace Gateway.Admin.Functions.EndUsers;

/// <summary>Body of <c>PATCH /api/users/{id}</c> and <c>PATCH /api/users?userId=&amp;tags=</c>: only the fields given change.</summary>
internal sealed class UpdateUserRequest : LimitFieldsRequest
{
    public string? Name { get; set; }

    public List<string?>? Tags { get; set; }

    public List<string?>? KeyIds { get; set; }

    public bool? Revoked { get; set; }

    public string? RevokedReason { get; set; }

    public List<string?>? AllowedModels { get; set; }
}
