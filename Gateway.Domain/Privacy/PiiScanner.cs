using System.Text.RegularExpressions;
using Gateway.Domain.Privacy.Detection;
using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Privacy;

/// <summary>
/// Runs a policy over texts: the local detector always, Azure AI Language when the policy names
/// entities only it finds. A detector error (cloud timeout or failure, an admin regex past its
/// time limit) is the policy's to decide: fail open (scan with what answered) or closed (null).
/// </summary>
public sealed partial class PiiScanner(IPiiCloudDetector cloud, ILogger<PiiScanner> logger)
{
    /// <summary>The scan; null when a detector failed and the policy fails closed.</summary>
    public ValueTask<PiiScanResult?> ScanAsync(CompiledPolicy policy, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(texts);
        var findings = new List<PiiFinding>[texts.Count];
        try
        {
            for (var i = 0; i < texts.Count; i++)
            {
                findings[i] = LocalPiiDetector.Detect(texts[i], policy);
            }
        }
        catch (RegexMatchTimeoutException ex)
        {
            LogDetectorFailed(logger, policy.Id, "local", ex.Message);
            return ValueTask.FromResult(Failed(policy, findings));
        }

        return policy.CloudEntities.Count == 0
            ? ValueTask.FromResult<PiiScanResult?>(new PiiScanResult(findings, detectorFailed: false))
            : ScanCloudAsync(policy, texts, findings, cancellationToken);
    }

    private async ValueTask<PiiScanResult?> ScanCloudAsync(CompiledPolicy policy, IReadOnlyList<string> texts, List<PiiFinding>[] findings, CancellationToken cancellationToken)
    {
        try
        {
            var found = await cloud.DetectAsync(texts, policy.CloudEntities, cancellationToken);
            for (var i = 0; i < texts.Count; i++)
            {
                foreach (var match in found[i])
                {
                    if (policy.ActionFor(match.Entity) is { } action)
                    {
                        LocalPiiDetector.Merge(findings[i], [new PiiFinding(match, action)]);
                    }
                }
            }

            return new PiiScanResult(findings, detectorFailed: false);
        }
        catch (PiiDetectorException ex)
        {
            LogDetectorFailed(logger, policy.Id, "azure-language", ex.Message);
            return Failed(policy, findings);
        }
    }

    private static PiiScanResult? Failed(CompiledPolicy policy, List<PiiFinding>[] findings)
    {
        if (!policy.Policy.FailOpen)
        {
            return null;
        }

        for (var i = 0; i < findings.Length; i++)
        {
            findings[i] ??= [];
        }

        return new PiiScanResult(findings, detectorFailed: true);
    }

    [LoggerMessage(1600, LogLevel.Warning, "PII detector {Detector} failed for policy {PolicyId}: {Reason}")]
    private static partial void LogDetectorFailed(ILogger logger, string policyId, string detector, string reason);
}
