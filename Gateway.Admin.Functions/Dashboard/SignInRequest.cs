namespace Gateway.Admin.Functions.Dashboard;

/// <summary>Body of <c>POST /api/dashboard/session</c>.</summary>
internal sealed class SignInRequest
{
    public string? Secret { get; set; }
}
