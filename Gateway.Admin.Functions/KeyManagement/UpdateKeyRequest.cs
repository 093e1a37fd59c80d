namespace Gateway.Admin.Functions.KeyManagement;

/// <summary>
/// Body of <c>PATCH /api/key-management/keys/{keyId}</c>: only the fields given change. A given
/// <see cref="CreateKeyRequest.Key"/> is refused: the secret of a key cannot change.
/// </summary>
internal sealed class UpdateKeyRequest : CreateKeyRequest
{
    public bool? Revoked { get; set; }

    public string? RevokedReason { get; set; }
}
