using System.Runtime.CompilerServices;
using System.Text;
using Korral.Kubelet.Logs;

namespace Korral.Kubelet.Tests.Logs;

/// <summary>
/// The reader's output for one log file under many options, compared with golden files
/// (<c>testdata/&lt;log&gt;.&lt;case&gt;.out</c>). Set UPDATE_GOLDEN=1 to rewrite them after a deliberate change, and read
/// the diff.
/// </summary>
public sealed class ContainerLogReaderGoldenTests
{
    private static readonly DateTimeOffset Ten = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string> Cases() => new()
    {
        { "basic.log", "all" },
        { "basic.log", "timestamps" },
        { "basic.log", "tail-0" },
        { "basic.log", "tail-1" },
        { "basic.log", "tail-4" },
        { "basic.log", "tail-6-timestamps" },
        { "basic.log", "tail-100" },
        { "basic.log", "since-10-00-02" },
        { "basic.log", "since-mid-line-timestamps" },
        { "basic.log", "limit-20" },
        { "basic.log", "limit-35-timestamps" },
        { "basic.log", "tail-2-limit-12" },
        { "unterminated.log", "all" },
        { "unterminated.log", "tail-1" },
        { "unterminated.log", "tail-2" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Output_matches_golden(string log, string name)
    {
        var output = new MemoryStream();
        await new ContainerLogReader().ReadAsync(Path.Combine(TestData(), log), OptionsFor(name), output, null, CancellationToken.None);

        var golden = Path.Combine(TestData(), $"{log}.{name}.out");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllBytesAsync(golden, output.ToArray());
        }

        Assert.Equal(await File.ReadAllTextAsync(golden), Encoding.UTF8.GetString(output.ToArray()));
    }

    private static ContainerLogOptions OptionsFor(string name) => name switch
    {
        "all" => new ContainerLogOptions(),
        "timestamps" => new ContainerLogOptions { Timestamps = true },
        "tail-0" => new ContainerLogOptions { TailLines = 0 },
        "tail-1" => new ContainerLogOptions { TailLines = 1 },
        "tail-2" => new ContainerLogOptions { TailLines = 2 },
        "tail-4" => new ContainerLogOptions { TailLines = 4 },
        "tail-6-timestamps" => new ContainerLogOptions { TailLines = 6, Timestamps = true },
        "tail-100" => new ContainerLogOptions { TailLines = 100 },
        "since-10-00-02" => new ContainerLogOptions { Since = Ten.AddSeconds(2) },
        // Between the first and second P segment: the second is written, without a timestamp (it does not start a line).
        "since-mid-line-timestamps" => new ContainerLogOptions { Since = Ten.AddSeconds(2.25).AddTicks(1), Timestamps = true },
        "limit-20" => new ContainerLogOptions { LimitBytes = 20 },
        "limit-35-timestamps" => new ContainerLogOptions { LimitBytes = 35, Timestamps = true },
        "tail-2-limit-12" => new ContainerLogOptions { TailLines = 2, LimitBytes = 12 },
        _ => throw new ArgumentException(name),
    };

    private static string TestData([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "testdata");
}
