using System.Globalization;

namespace Korral.Bench.Kubelet.Reporting;

/// <summary>The benchmark's progress lines: to the console (stderr) and to progress.log in the run directory.</summary>
public sealed class BenchLog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StreamWriter _file;

    public BenchLog(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        Path = path;
        _file = new StreamWriter(path, append: true) { AutoFlush = true };
    }

    public string Path { get; }

    public void Progress(string line)
    {
        var now = DateTimeOffset.UtcNow;
        Console.Error.WriteLine($"{now.ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} {line}");
        lock (_lock)
        {
            _file.WriteLine($"{now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)}Z {line}");
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _file.Dispose();
        }
    }
}
