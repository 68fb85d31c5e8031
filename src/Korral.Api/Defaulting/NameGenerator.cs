namespace Korral.Api.Defaulting;

/// <summary>
/// Turns <c>metadata.generateName</c> into a name as upstream does: the prefix cut to 58 characters plus five random
/// characters from <c>bcdfghjklmnpqrstvwxz2456789</c> (no vowels, no look-alikes), e.g. <c>web-7xk2p</c>.
/// </summary>
public static class NameGenerator
{
    public const int MaxNameLength = 63;
    public const int RandomLength = 5;
    public const int MaxGeneratedNameLength = MaxNameLength - RandomLength;

    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Generate(string generateName, Random? random = null) =>
        (generateName.Length > MaxGeneratedNameLength ? generateName[..MaxGeneratedNameLength] : generateName) + RandomSuffix(RandomLength, random);

    /// <summary>Random characters from upstream's alphabet (also used for volume names such as kube-api-access-xxxxx).</summary>
    public static string RandomSuffix(int length, Random? random = null)
    {
        var rng = random ?? Random.Shared;
        return string.Create(length, rng, static (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });
    }
}
