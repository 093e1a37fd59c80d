namespace Gateway.Admin.Functions.Http;

/// <summary><c>Admin__Secret</c>: the value the <c>X-API-KEY</c> header of every admin request must carry.</summary>
internal sealed class AdminAuthOptions
{
    public const string Section = "Admin";

    /// <summary>When empty, the admin API serves loopback callers only (and says so at startup).</summary>
    public string? Secret { get; set; }
}
