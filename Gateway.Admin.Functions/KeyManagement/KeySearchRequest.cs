namespace Gateway.Admin.Functions.KeyManagement;

/// <summary>Body of <c>POST /api/v2/key-management/keys</c>.</summary>
internal sealed class KeySearchRequest
{
    public List<string?>? KeyIds { get; set; }

    /// <summary>Keys carrying all of these tags.</summary>
    public List<string?>? Tags { get; set; }

    /// <summary>Case-insensitive substring of the key's name.</summary>
    public string? Name { get; set; }

    public bool? Revoked { get; set; }

    /// <summary>0 or absent: no limit.</summary>
    public int? Limit { get; set; }

    public int? Offset { get; set; }

    /// <summary><c>asc</c> or <c>desc</c> (default) by creation time.</summary>
    public string? Order { get; set; }

    public bool? ReturnCount { get; set; }
}
