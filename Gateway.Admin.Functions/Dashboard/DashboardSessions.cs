using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.Admin.Functions.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Gateway.Admin.Functions.Dashboard;

/// <summary>
/// Stateless dashboard sessions: the cookie is <c>{id}.{expiry}.{HMAC}</c> and the CSRF token is an
/// HMAC of the id, both under a key derived (HKDF) from the admin secret. No session store is
/// needed, every instance of the app accepts the cookie, and changing <c>Admin__Secret</c> ends
/// every session. Without a secret there are no sessions (the API serves loopback callers only).
/// </summary>
internal sealed class DashboardSessions
{
    public const string CookieName = "gw_dashboard";
    public const string CsrfHeader = "X-CSRF-TOKEN";

    /// <summary>The cookie is sent only to the API, where the dashboard and the endpoints it calls live.</summary>
    public const string CookiePath = "/api";

    private static readonly byte[] KeyInfo = "gateway-dashboard-session-v1"u8.ToArray();
    private readonly byte[]? _key;
    private readonly byte[]? _secretHash;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;

    public DashboardSessions(IOptions<AdminAuthOptions> auth, IOptions<DashboardOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentNullException.ThrowIfNull(options);
        var secret = auth.Value.Secret;
        if (!string.IsNullOrEmpty(secret))
        {
            var secretBytes = Encoding.UTF8.GetBytes(secret);
            _secretHash = SHA256.HashData(secretBytes);
            _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secretBytes, 32, salt: null, info: KeyInfo);
        }

        _time = time;
        _lifetime = options.Value.SessionLifetime;
    }

    /// <summary>False when no admin secret is configured: nothing to sign in with.</summary>
    public bool Enabled => _key is not null;

    /// <summary>Constant-time comparison of a presented secret with the admin secret.</summary>
    public bool SecretMatches(string? presented)
        => _secretHash is not null && !string.IsNullOrEmpty(presented)
            && CryptographicOperations.FixedTimeEquals(_secretHash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    /// <summary>A new session and its cookie value.</summary>
    public (DashboardSession Session, string Cookie) Issue()
    {
        var key = _key ?? throw new InvalidOperationException("dashboard sessions need an admin secret");
        var id = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));
        var expires = _time.GetUtcNow().Add(_lifetime);
        var payload = id + "." + expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return (new DashboardSession(id, DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds())), payload + "." + Mac(key, "session|" + payload));
    }

    /// <summary>The request's session when its cookie is present, authentic and not expired.</summary>
    public DashboardSession? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_key is null || !request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie) || cookie.Length > 256)
        {
            return null;
        }

        var parts = cookie.Split('.');
        if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(_key, "session|" + parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2])))
        {
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Min(expiry, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        return expiresAt > _time.GetUtcNow() ? new DashboardSession(parts[0], expiresAt) : null;
    }

    /// <summary>The token every state-changing call of this session carries in <see cref="CsrfHeader"/>.</summary>
    public string CsrfToken(DashboardSession session)
        => Mac(_key ?? throw new InvalidOperationException("dashboard sessions need an admin secret"), "csrf|" + session.Id);

    /// <summary>Whether the request carries this session's CSRF token.</summary>
    public bool CsrfMatches(DashboardSession session, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var presented = request.Headers[CsrfHeader].ToString();
        return presented.Length > 0
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CsrfToken(session)), Encoding.UTF8.GetBytes(presented));
    }

    public static CookieOptions CookieOptions(HttpContext context, DateTimeOffset expires, bool secure) => new()
    {
        HttpOnly = true,
        Secure = secure || context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        Path = CookiePath,
        Expires = expires,
        IsEssential = true,
    };

    private static string Mac(byte[] key, string data) => WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data)));
}
