using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Testing;

/// <summary>Starts a gateway app on Kestrel, retrying WebApplicationFactory's known port-setup race.</summary>
public static class GatewayApps
{
    // Either symptom of the race: the factory's port-0 address lands after Kestrel started, or it is
    // lost and the app binds its own default port, which another test's app may hold.
    private static bool IsPortSetupRace(Exception ex)
        => (ex is InvalidOperationException && ex.Message.Contains("IServerAddressesFeature", StringComparison.Ordinal))
            || (ex is IOException && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            // The same race seen from the other side: the factory reads the server's addresses from a
            // host whose start already failed and disposed its services.
            || (ex is ObjectDisposedException { ObjectName: "IServiceProvider" } && ex.StackTrace?.Contains("TryConfigureServerPort", StringComparison.Ordinal) == true);

    /// <summary>
    /// Retries the race between WebApplicationFactory's port setup and Kestrel's bind
    /// (dotnet/aspnetcore#67714) that fails an occasional start.
    /// </summary>
    public static async Task<GatewayAppFactory<TEntryPoint>> StartAsync<TEntryPoint>(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
        where TEntryPoint : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = new GatewayAppFactory<TEntryPoint>(settings, services);
            try
            {
                _ = app.BaseAddress;
                return app;
            }
            catch (Exception ex) when (attempt < 5 && IsPortSetupRace(ex))
            {
                await app.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Starts an app that must fail to start and returns why; null when it started. An attempt
    /// whose failure is one of WebApplicationFactory's races instead of the app's own error is
    /// tried again (up to <paramref name="attempts"/> in all), so that the app's error is returned.
    /// </summary>
    /// <remarks>
    /// When the app's startup fails, its host disposes its services while the factory, on the test's
    /// thread, still reads the server's addresses (<c>TryConfigureServerPort</c>) or starts the
    /// deferred host (<c>DeferredHost.StartAsync</c>): the factory then throws an
    /// <see cref="ObjectDisposedException"/> for <c>IServiceProvider</c> and the app's exception
    /// is lost. Seen in about one start in seven with 40 failing starts at once.
    /// </remarks>
    public static Exception? StartupFailure<TEntryPoint>(IDictionary<string, string?> settings, int attempts = 10)
        where TEntryPoint : class
        => StartupFailure(() => new GatewayAppFactory<TEntryPoint>(settings), attempts);

    /// <summary>As above, for an app made by <paramref name="create"/> (a new one per attempt).</summary>
    public static Exception? StartupFailure<TEntryPoint>(Func<GatewayAppFactory<TEntryPoint>> create, int attempts = 10)
        where TEntryPoint : class
    {
        ArgumentNullException.ThrowIfNull(create);
        for (var attempt = 1; ; attempt++)
        {
            using var app = create();
            try
            {
                _ = app.BaseAddress;
                return null;
            }
            catch (Exception ex) when (attempt < attempts && (IsPortSetupRace(ex) || IsFailedStartRace(ex)))
            {
            }
            catch (Exception ex)
            {
                return ex;
            }
        }
    }

    private static bool IsFailedStartRace(Exception ex)
        => ex is ObjectDisposedException { ObjectName: "IServiceProvider" }
            && ex.StackTrace?.Contains("Microsoft.AspNetCore.Mvc.Testing.", StringComparison.Ordinal) == true;
}
