namespace Korral.Bench.Reporting;

/// <summary>One line of the results table; <see cref="Verdict"/> is set when the row is judged against a target.</summary>
public sealed record ResultRow(string Measurement, string Result, string? Target = null, string? Verdict = null);
