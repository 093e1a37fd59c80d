using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Admin.Functions.Http;

/// <summary>
/// Collects every problem with a management request, each starting with the field it concerns,
/// so that one 400 lists all of them (BricksLLM's "fields [a, b] are invalid" did the same).
/// </summary>
internal sealed class FieldErrors
{
    private readonly List<string> _errors = [];
    private Func<HttpContext, ProblemHttpResult>? _refusal;

    public bool Any => _errors.Count > 0 || _refusal is not null;

    /// <param name="field">The JSON path of the field, e.g. <c>allowedPaths[1].method</c>.</param>
    /// <param name="message">What is wrong, phrased to follow the field name: "is required".</param>
    public void Add(string field, string message) => _errors.Add($"{field} {message}");

    /// <summary>Refuses the request with another problem than a 400 (a 409 when stored credentials cannot be decrypted).</summary>
    public void Refuse(Func<HttpContext, ProblemHttpResult> problem) => _refusal ??= problem;

    public ProblemHttpResult ToProblem(HttpContext context) => _refusal?.Invoke(context) ?? AdminProblem.BadRequest(context, string.Join("; ", _errors));

    /// <summary>A required string: present, not blank, at most <paramref name="maxLength"/> characters.</summary>
    public string Required(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required");
            return string.Empty;
        }

        return MaxLength(field, value, maxLength);
    }

    /// <summary>An optional string; empty counts as absent.</summary>
    public string? Optional(string field, string? value, int maxLength)
        => string.IsNullOrEmpty(value) ? null : MaxLength(field, value, maxLength);

    /// <summary>A list of non-empty strings, duplicates removed, order kept. Null stays null (absent).</summary>
    public List<string>? Strings(string field, List<string?>? values, int maxLength)
    {
        if (values is null)
        {
            return null;
        }

        var result = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (string.IsNullOrWhiteSpace(value))
            {
                Add($"{field}[{i}]", "must be a non-empty string");
            }
            else if (value.Length > maxLength)
            {
                Add($"{field}[{i}]", $"must be at most {maxLength} characters");
            }
            else if (!result.Contains(value, StringComparer.Ordinal))
            {
                result.Add(value);
            }
        }

        return result;
    }

    private string MaxLength(string field, string value, int maxLength)
    {
        if (value.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters");
        }

        return value;
    }
}
