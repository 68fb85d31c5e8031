using System.Security.Cryptography;

namespace Korral.ApiServer.Registry;

/// <summary>The random part of the names the server makes from metadata.generateName.</summary>
public static class GeneratedNames
{
    /// <summary>
    /// Create attempts for a generated name before the server gives up with AlreadyExists, as upstream's
    /// RetryGenerateName (KEP-4420): each attempt draws a fresh suffix.
    /// </summary>
    public const int MaxCreateAttempts = 8;

    // Upstream's alphabet without vowels, so generated names never spell words.
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Five random characters from upstream's alphabet: the default <c>ApiServerParts.GenerateNameSuffix</c>.</summary>
    public static string RandomSuffix()
    {
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }
}
