using Gateway.Domain.Privacy.Detection;

namespace Gateway.Domain.Tests.Privacy;

public sealed class ChecksumsTests
{
    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111 1111 1111 1111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("130692544", true)]
    [InlineData("7", false)]
    public void Luhn(string value, bool valid) => Assert.Equal(valid, Checksums.Luhn(value));

    [Theory]
    [InlineData("GB82WEST12345698765432", true)]
    [InlineData("GB82 WEST 1234 5698 7654 32", true)]
    [InlineData("GB82WEST12345698765433", false)]
    [InlineData("GB82", false)]
    public void IbanMod97(string value, bool valid) => Assert.Equal(valid, Checksums.IbanMod97(value));

    [Theory]
    [InlineData("9434765919", true)]
    [InlineData("9434765918", false)]
    [InlineData("943476591", false)]
    public void NhsMod11(string value, bool valid) => Assert.Equal(valid, Checksums.NhsMod11(value));

    [Theory]
    [InlineData("234123412346", true)]
    [InlineData("234123412345", false)]
    [InlineData("2363", true)]
    public void Verhoeff(string value, bool valid) => Assert.Equal(valid, Checksums.Verhoeff(value));
}
