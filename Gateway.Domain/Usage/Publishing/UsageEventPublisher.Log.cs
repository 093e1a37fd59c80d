using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Usage.Publishing;

/// <summary>The publisher's log messages: every drop and spill is logged with its count.</summary>
public sealed partial class UsageEventPublisher
{
    [LoggerMessage(5000, LogLevel.Warning, "Usage event buffer full: dropped event {EventId} ({Total} usage events dropped since start)")]
    private static partial void LogBufferFull(ILogger logger, string eventId, long total);

    [LoggerMessage(5001, LogLevel.Warning, "The usage queue did not take {Count} events; until it does, usage events are kept in the spill store {Folder} and sent from there when it is back")]
    private static partial void LogQueueUnreachable(ILogger logger, int count, string folder, Exception exception);

    [LoggerMessage(5002, LogLevel.Error, "Shutdown ended with {Count} usage events neither sent nor written to the spill store {Folder}; they are lost")]
    private static partial void LogShutdownLoss(ILogger logger, long count, string folder);

    [LoggerMessage(5003, LogLevel.Information, "The usage queue takes events again: {Count} events sent from the spill store, which is now empty")]
    private static partial void LogQueueBack(ILogger logger, long count);

    [LoggerMessage(5004, LogLevel.Error, "Usage spill store {Folder} is full ({Bytes} of {MaxBytes} bytes): dropped {Count} usage events ({Total} dropped since start)")]
    private static partial void LogSpillFull(ILogger logger, int count, string folder, long bytes, long maxBytes, long total);

    [LoggerMessage(5005, LogLevel.Error, "Writing {Count} usage events to the spill store {Folder} failed; they are dropped ({Total} dropped since start)")]
    private static partial void LogSpillFailed(ILogger logger, int count, string folder, long total, Exception exception);

    [LoggerMessage(5006, LogLevel.Warning, "Stopped with {Count} usage events in the spill store {Folder}; the next start of the proxy with this spill folder sends them")]
    private static partial void LogLeftInSpill(ILogger logger, long count, string folder);

    [LoggerMessage(5007, LogLevel.Information, "{Count} usage events left by an earlier run are in the spill store {Folder}; sending them first")]
    private static partial void LogAdopted(ILogger logger, long count, string folder);

    [LoggerMessage(5008, LogLevel.Warning, "Shutdown reached UsagePublisher__ShutdownTimeout ({Timeout}): the usage events not yet sent go to the spill store {Folder}")]
    private static partial void LogShutdownDeadline(ILogger logger, TimeSpan timeout, string folder);

    [LoggerMessage(5010, LogLevel.Warning, "Usage event {EventId} was published after the publisher stopped: dropped ({Total} usage events dropped since start)")]
    private static partial void LogPublishedAfterStop(ILogger logger, string eventId, long total);

    [LoggerMessage(5009, LogLevel.Error, "{Count} lines of the spill segment {Segment} are unreadable (torn by a crash); those usage events are lost ({Total} dropped since start)")]
    private static partial void LogSpillUnreadable(ILogger logger, int count, string segment, long total);
}
