using System.Collections.Frozen;

namespace Gateway.Domain.Privacy.Azure;

/// <summary>
/// BricksLLM entity names ↔ Azure AI Language PII categories (<c>piiCategories</c>), for the
/// entities only the cloud finds; entities without a category here are not detected.
/// </summary>
internal static class AzureLanguageCategories
{
    private static readonly (string Entity, string Category)[] Pairs =
    [
        (PiiEntity.Name, "Person"),
        (PiiEntity.Address, "Address"),
        (PiiEntity.Age, "Age"),
        (PiiEntity.DateTime, "DateTime"),
        (PiiEntity.BankAccountNumber, "USBankAccountNumber"),
        (PiiEntity.BankRouting, "ABARoutingNumber"),
        (PiiEntity.DriverId, "USDriversLicenseNumber"),
        (PiiEntity.DriverId, "UKDriversLicenseNumber"),
        (PiiEntity.PassportNumber, "USUKPassportNumber"),
    ];

    public static FrozenDictionary<string, string> EntityByCategory { get; } =
        Pairs.ToFrozenDictionary(static p => p.Category, static p => p.Entity, StringComparer.Ordinal);

    public static IEnumerable<string> CategoriesFor(IEnumerable<string> entities)
    {
        var wanted = entities.ToHashSet(StringComparer.Ordinal);
        return Pairs.Where(p => wanted.Contains(p.Entity)).Select(static p => p.Category);
    }
}
