namespace Gateway.Functions.Providers;

/// <summary>
/// A provider's public route: a pattern with a <c>{**path}</c> catch-all (the path below the
/// provider's prefix) and optionally <c>{deploymentId}</c>, and the methods it answers.
/// <paramref name="RefusedMethods"/> are answered 405 in the provider's error shape, so that a more
/// general route (<c>/api/providers/{settingName}/...</c>) does not take them instead.
/// </summary>
internal sealed record ProviderRoute(string Pattern, IReadOnlyList<string> Methods, IReadOnlyList<string>? RefusedMethods = null)
{
    public static readonly IReadOnlyList<string> AllMethods = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public static readonly IReadOnlyList<string> ReadWrite = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete];
}
