namespace Gateway.Functions.Providers;

/// <summary>
/// A provider's public route: a pattern with a <c>{**path}</c> catch-all (the path below the
/// provider's prefix) and optionally <c>{deploymentId}</c>, and the methods it answers.
/// </summary>
internal sealed record ProviderRoute(string Pattern, IReadOnlyList<string> Methods)
{
    public static readonly IReadOnlyList<string> AllMethods = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    public static readonly IReadOnlyList<string> ReadWrite = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete];
}
