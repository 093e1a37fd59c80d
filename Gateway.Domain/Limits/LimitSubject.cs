using Gateway.Domain.Keys;

namespace Gateway.Domain.Limits;

/// <summary>Whose limits a request counts against (a key, or an end user) and what they are.</summary>
public sealed record LimitSubject(SpendCounterKeys.Owner Owner, string Id, SubjectLimits Limits)
{
    public static LimitSubject For(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(SpendCounterKeys.Owner.Key, key.KeyId, key.Limits);
    }

    public static LimitSubject For(Users.User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(SpendCounterKeys.Owner.User, user.Id, user.Limits);
    }

    public bool HasAnyLimit => Limits.HasAnyLimit;
}
