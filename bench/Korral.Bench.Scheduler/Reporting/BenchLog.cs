namespace Korral.Bench.Scheduler.Reporting;

/// <summary>
/// Where the scheduler's, informers' and server's log lines go: a file, not the console (at thousands of pods per second
/// they would flood it and cost CPU the scheduler needs). The console gets the benchmark's own progress lines.
/// </summary>
public sealed class BenchLog : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StreamWriter _file;
    private long _lines;

    public BenchLog(string path)
    {
        Path = path;
        _file = new StreamWriter(path, append: false) { AutoFlush = false };
    }

    public string Path { get; }

    /// <summary>Lines the components logged so far.</summary>
    public long Lines => Interlocked.Read(ref _lines);

    public void Component(string line)
    {
        Interlocked.Increment(ref _lines);
        lock (_lock)
        {
            _file.Write(DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture));
            _file.Write(' ');
            _file.WriteLine(line);
        }
    }

    /// <summary>A progress line: console (stderr) and file.</summary>
    public void Progress(string line)
    {
        Console.Error.WriteLine($"{DateTimeOffset.Now:HH:mm:ss} {line}");
        lock (_lock)
        {
            _file.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} bench: {line}");
            _file.Flush();
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
