using Gateway.Domain.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Admin.Functions.Http;

internal static partial class AdminHttpExtensions
{
    /// <summary>Admin auth options, problem details in BricksLLM's shape.</summary>
    public static IHostApplicationBuilder AddAdminHttp(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminAuthOptions>().Bind(builder.Configuration.GetSection(AdminAuthOptions.Section));
        builder.Services.AddProblemDetails();
        return builder;
    }

    /// <summary>Authentication for everything but health; warns at startup when no secret is set.</summary>
    public static IApplicationBuilder UseAdminAuth(this IApplicationBuilder app)
    {
        if (string.IsNullOrEmpty(app.ApplicationServices.GetRequiredService<IOptions<AdminAuthOptions>>().Value.Secret))
        {
            // Under the Functions host every request reaches us from the host on loopback, so
            // "loopback only" would mean "everyone": a secret is mandatory there.
            if (app.ApplicationServices.GetRequiredService<GatewayAppInfo>().UnderFunctionsHost)
            {
                throw new OptionsValidationException(AdminAuthOptions.Section, typeof(AdminAuthOptions), ["The setting Admin__Secret is required when the admin app runs under the Azure Functions host."]);
            }

            LogNoSecret(app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Admin.Functions"));
        }

        app.UseMiddleware<AdminAuthMiddleware>();
        return app;
    }

    [LoggerMessage(2001, LogLevel.Warning, "No admin secret is configured (Admin__Secret): the admin API serves loopback callers only")]
    private static partial void LogNoSecret(ILogger logger);
}
