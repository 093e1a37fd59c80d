using Gateway.Domain.Limits;

namespace Gateway.Domain.Users;

/// <summary>
/// An end user of a key owner's application, identified in requests by OpenAI's <c>user</c> body
/// field or Anthropic's <c>metadata.user_id</c>; it carries its own limits, enforced by the proxy.
/// A request's user is the one whose <see cref="UserId"/> matches and whose <see cref="Tags"/>
/// contain all of the key's tags (BricksLLM's <c>tags @&gt; key.tags</c>).
/// </summary>
public sealed class User
{
    public required string Id { get; set; }

    public string Name { get; set; } = string.Empty;

    /// <summary>The id the client sends; unique together with <see cref="Tags"/>.</summary>
    public required string UserId { get; set; }

    /// <summary>Kept sorted and distinct, so that (user id, tags) identifies a user.</summary>
    public List<string> Tags { get; set; } = [];

    public List<string> KeyIds { get; set; } = [];

    public bool Revoked { get; set; }

    public string? RevokedReason { get; set; }

    /// <summary>Rate and spend limits, ttl (from <see cref="CreatedAt"/>) and allowed paths.</summary>
    public SubjectLimits Limits { get; set; } = new();

    /// <summary>Empty: every model the key may use.</summary>
    public List<string> AllowedModels { get; set; } = [];

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}
