namespace Gateway.Domain.Privacy.Detection;

/// <summary>The check-digit schemes of the numbers the local detector recognises, over ASCII digits (separators skipped).</summary>
internal static class Checksums
{
    /// <summary>Luhn (ISO/IEC 7812-1): payment cards, Canadian SIN.</summary>
    public static bool Luhn(ReadOnlySpan<char> value)
    {
        var sum = 0;
        var doubled = false;
        var digits = 0;
        for (var i = value.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                continue;
            }

            var d = value[i] - '0';
            if (doubled)
            {
                d *= 2;
                d = d > 9 ? d - 9 : d;
            }

            sum += d;
            doubled = !doubled;
            digits++;
        }

        return digits > 1 && sum % 10 == 0;
    }

    /// <summary>ISO 13616 IBAN check: country and check digits moved to the end, letters as 10..35, mod 97 = 1.</summary>
    public static bool IbanMod97(ReadOnlySpan<char> value)
    {
        Span<char> compact = stackalloc char[64];
        var length = 0;
        foreach (var c in value)
        {
            if (c == ' ')
            {
                continue;
            }

            if (length == compact.Length || !char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }

            compact[length++] = char.ToUpperInvariant(c);
        }

        if (length is < 15 or > 34)
        {
            return false;
        }

        var remainder = 0;
        for (var i = 0; i < length; i++)
        {
            var c = compact[(i + 4) % length];
            remainder = char.IsAsciiDigit(c)
                ? ((remainder * 10) + (c - '0')) % 97
                : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder == 1;
    }

    /// <summary>NHS number: weights 10..2 over the first nine digits, 11 - (sum mod 11) is the tenth (11 → 0, 10 invalid).</summary>
    public static bool NhsMod11(ReadOnlySpan<char> value)
    {
        Span<int> digits = stackalloc int[10];
        if (Digits(value, digits) != 10)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += digits[i] * (10 - i);
        }

        var check = 11 - (sum % 11);
        check = check == 11 ? 0 : check;
        return check != 10 && check == digits[9];
    }

    /// <summary>Verhoeff (dihedral group D5): the Aadhaar check digit.</summary>
    public static bool Verhoeff(ReadOnlySpan<char> value)
    {
        var c = 0;
        var position = 0;
        for (var i = value.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                continue;
            }

            c = VerhoeffD[c, VerhoeffP[position % 8, value[i] - '0']];
            position++;
        }

        return position > 1 && c == 0;
    }

    /// <summary>The ASCII digits of <paramref name="value"/> into <paramref name="into"/>; the count, or -1 when there are more.</summary>
    public static int Digits(ReadOnlySpan<char> value, Span<int> into)
    {
        var count = 0;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            if (count == into.Length)
            {
                return -1;
            }

            into[count++] = c - '0';
        }

        return count;
    }

    private static readonly int[,] VerhoeffD =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
        { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 },
        { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
        { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 },
        { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
        { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 },
        { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
        { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 },
        { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    private static readonly int[,] VerhoeffP =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
        { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 },
        { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
        { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 },
        { 4, 2, 8, 6, 5, 7, 3, 9, 1, 0 },
        { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 },
        { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };
}
