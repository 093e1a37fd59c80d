using System.Text;

namespace Gateway.Testing;

/// <summary>Test input that is not valid UTF-8 on purpose, written as a readable literal.</summary>
public static class RawBytes
{
    /// <summary>The literal's characters as UTF-8, except <c>\xNN</c> escapes, which become that raw byte.</summary>
    public static byte[] From(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x')
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 2, 2), 16));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return [.. bytes];
    }
}
