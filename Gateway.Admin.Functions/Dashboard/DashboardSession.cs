namespace Gateway.Admin.Functions.Dashboard;

/// <summary>A signed-in browser: the random session id (the CSRF token is derived from it) and when it ends.</summary>
internal readonly record struct DashboardSession(string Id, DateTimeOffset ExpiresAt);
