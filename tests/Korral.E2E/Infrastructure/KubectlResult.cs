namespace Korral.E2E.Infrastructure;

/// <summary>What one kubectl invocation did: its command line, exit code and both output streams.</summary>
public sealed record KubectlResult(string CommandLine, int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Non-empty stdout lines, trailing whitespace removed.</summary>
    public IReadOnlyList<string> Lines =>
        Stdout.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();

    /// <summary>Non-empty stderr lines, trailing whitespace removed.</summary>
    public IReadOnlyList<string> ErrorLines =>
        Stderr.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();

    /// <summary>Returns this result if kubectl exited 0, else fails the test with everything it printed.</summary>
    public KubectlResult EnsureSuccess()
    {
        Assert.True(Succeeded, $"expected exit code 0\n{this}");
        return this;
    }

    /// <summary>Returns this result if kubectl failed, else fails the test with everything it printed.</summary>
    public KubectlResult EnsureFailure()
    {
        Assert.True(!Succeeded, $"expected a non-zero exit code\n{this}");
        return this;
    }

    public override string ToString() =>
        $"$ {CommandLine}\nexit code: {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
