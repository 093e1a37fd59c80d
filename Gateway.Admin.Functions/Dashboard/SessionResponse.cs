namespace Gateway.Admin.Functions.Dashboard;

/// <summary>
/// The browser's session as the page sees it: whether it is signed in, the CSRF token to send
/// with every state-changing call, and the expiry (unix seconds). Loopback mode (no admin secret):
/// signed in without a token or expiry.
/// </summary>
internal sealed record SessionResponse(bool SignedIn, string CsrfToken, long? ExpiresAt, bool LoopbackOnly)
{
    public static readonly SessionResponse SignedOut = new(false, string.Empty, null, LoopbackOnly: false);
}
