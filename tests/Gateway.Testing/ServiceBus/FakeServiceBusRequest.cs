using System.Text;

namespace Gateway.Testing.ServiceBus;

/// <summary>One request <see cref="FakeServiceBusServer"/> received, as it arrived, and the status it answered.</summary>
public sealed record FakeServiceBusRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body, int StatusCode)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string BodyAsString() => Encoding.UTF8.GetString(Body);
}
