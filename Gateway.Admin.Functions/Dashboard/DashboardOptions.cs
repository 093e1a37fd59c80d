namespace Gateway.Admin.Functions.Dashboard;

/// <summary><c>Dashboard__*</c>: the browser dashboard's sign-in session.</summary>
internal sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>How long a sign-in lasts; the session cookie expires with it.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
