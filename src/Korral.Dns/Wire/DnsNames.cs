namespace Korral.Dns.Wire;

/// <summary>Helpers for names in presentation form.</summary>
public static class DnsNames
{
    /// <summary>"a.b." → "a.b" ("a\." keeps its escaped dot; "." is the root, "").</summary>
    public static string WithoutFinalDot(string name) => DnsWriter.WithoutFinalDot(name);
}
