namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// The events a reporting query covers: <c>created_at</c> in [<see cref="Start"/>, <see cref="End"/>)
/// and, for each non-empty list, a match (tags: the event carries all of them).
/// </summary>
internal sealed record EventFilter(long Start, long End, string[] KeyIds, string[] Tags, string[] CustomIds, string[] UserIds);
