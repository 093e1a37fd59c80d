using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(1900, LogLevel.Error, "Function {FunctionName} failed; answering 500 so that the host retries")]
    public static partial void InvocationFailed(ILogger logger, string functionName, Exception exception);

    [LoggerMessage(1901, LogLevel.Information, "Listening on {Url} ({Mode})")]
    public static partial void Listening(ILogger logger, string url, string mode);

    [LoggerMessage(1902, LogLevel.Warning, "Function {FunctionName} got a payload it can never process: {Reason}")]
    public static partial void InvocationRejected(ILogger logger, string functionName, string reason);
}
