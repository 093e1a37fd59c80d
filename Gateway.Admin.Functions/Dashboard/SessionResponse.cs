namespace Gateway.Admin.Functions.Dashboard;

/// <summary>
/// The signed-in session as the page sees it: the CSRF token to send with every state-changing
/// call, and the expiry (unix seconds). Loopback mode (no admin secret): no token, no expiry.
/// </summary>
internal sealed record SessionResponse(string CsrfToken, long? ExpiresAt, bool LoopbackOnly);
