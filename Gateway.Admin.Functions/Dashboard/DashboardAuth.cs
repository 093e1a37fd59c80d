using Gateway.Admin.Functions.Http;

namespace Gateway.Admin.Functions.Dashboard;

/// <summary>
/// What <see cref="AdminAuthMiddleware"/> lets through for the dashboard: its own paths (the static
/// page and the sign-in endpoint, which checks the secret itself), and admin API calls from a
/// signed-in browser. A browser call carries the session cookie, and for every method but GET and
/// HEAD also the session's CSRF token in <c>X-CSRF-TOKEN</c>. A request with an <c>X-API-KEY</c>
/// header is a script's and is judged by that header alone.
/// </summary>
internal static class DashboardAuth
{
    public static bool Allows(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (DashboardEndpoints.IsDashboardPath(request.Path))
        {
            return true;
        }

        if (request.Headers.ContainsKey(AdminAuthMiddleware.HeaderName))
        {
            return false;
        }

        var sessions = context.RequestServices.GetRequiredService<DashboardSessions>();
        if (sessions.Read(request) is not { } session)
        {
            return false;
        }

        return HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || sessions.CsrfMatches(session, request);
    }
}
