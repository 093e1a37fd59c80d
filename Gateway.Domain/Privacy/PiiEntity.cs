using System.Collections.Frozen;

namespace Gateway.Domain.Privacy;

/// <summary>
/// BricksLLM's entity names (<c>internal/policy/policy.go</c>), the keys of a policy's
/// <c>config.rules</c>; <see cref="Regex"/> is ours, the type of a match of an admin regex rule.
/// </summary>
public static class PiiEntity
{
    public const string All = "all";
    public const string Address = "address";
    public const string Age = "age";
    public const string AwsAccessKey = "aws_access_key";
    public const string AwsSecretKey = "aws_secret_key";
    public const string BankAccountNumber = "bank_account_number";
    public const string BankRouting = "bank_routing";
    public const string CaHealthNumber = "ca_health_number";
    public const string CaSocialInsuranceNumber = "ca_social_insurance_number";
    public const string CreditDebitCvv = "credit_debit_cvv";
    public const string CreditDebitExpiry = "credit_debit_expiry";
    public const string CreditDebitNumber = "credit_debit_number";
    public const string DateTime = "date_time";
    public const string DriverId = "driver_id";
    public const string Email = "email";
    public const string InAadhaar = "in_aadhaar";
    public const string InNrega = "in_nrega";
    public const string InPermanentAccountNumber = "in_permanent_account_number";
    public const string InVoterNumber = "in_voter_number";
    public const string Iban = "international_bank_account_number";
    public const string IpAddress = "ip_address";
    public const string LicensePlate = "license_plate";
    public const string MacAddress = "mac_address";
    public const string Name = "name";
    public const string PassportNumber = "passport_number";
    public const string Password = "password";
    public const string Phone = "phone";
    public const string Pin = "pin";
    public const string Ssn = "ssn";
    public const string SwiftCode = "swift_code";
    public const string UkNhsNumber = "uk_national_health_service_number";
    public const string UkNino = "uk_national_insurance_number";
    public const string UkUtr = "uk_unique_taxpayer_reference_number";
    public const string Url = "url";
    public const string UsItin = "us_individual_tax_identification_number";
    public const string Username = "username";
    public const string Vin = "vehicle_identification_number";

    /// <summary>The type of a match of an admin regex rule (<c>regexConfig</c>); placeholder <c>[REGEX_1]</c>.</summary>
    public const string Regex = "regex";

    /// <summary>Every name a policy's <c>config.rules</c> accepts.</summary>
    public static FrozenSet<string> Known { get; } = FrozenSet.ToFrozenSet(
    [
        All, Address, Age, AwsAccessKey, AwsSecretKey, BankAccountNumber, BankRouting, CaHealthNumber,
        CaSocialInsuranceNumber, CreditDebitCvv, CreditDebitExpiry, CreditDebitNumber, DateTime, DriverId, Email,
        InAadhaar, InNrega, InPermanentAccountNumber, InVoterNumber, Iban, IpAddress, LicensePlate, MacAddress,
        Name, PassportNumber, Password, Phone, Pin, Ssn, SwiftCode, UkNhsNumber, UkNino, UkUtr, Url, UsItin,
        Username, Vin,
    ], StringComparer.Ordinal);
}
