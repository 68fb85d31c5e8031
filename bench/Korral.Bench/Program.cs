using Korral.Bench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (BenchUsageException e)
{
    if (!e.HelpOnly)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        Console.Error.WriteLine();
    }

    Console.Error.WriteLine(BenchOptions.Usage);
    return e.HelpOnly ? 0 : 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var report = await BenchRun.RunAsync(options, cancel.Token);
var markdown = "# Korral API benchmark\n\n" + report.ToMarkdown();
Console.WriteLine(markdown);
if (options.OutputPath is { } output)
{
    await File.WriteAllTextAsync(output, markdown, CancellationToken.None);
}

return report.Failed ? 1 : 0;
