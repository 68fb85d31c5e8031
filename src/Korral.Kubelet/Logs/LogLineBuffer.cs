using System.Buffers;

namespace Korral.Kubelet.Logs;

/// <summary>
/// Bytes read from a log file and not yet consumed: complete lines are taken from the front, a line still being written
/// stays until its line break arrives. Grows for lines longer than the buffer.
/// </summary>
internal sealed class LogLineBuffer : IDisposable
{
    private const int InitialSize = 64 * 1024;

    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(InitialSize);
    private int _start;
    private int _end;

    /// <summary>The unconsumed bytes.</summary>
    public ReadOnlySpan<byte> Pending => _bytes.AsSpan(_start, _end - _start);

    /// <summary>Reads more of the file after the pending bytes; returns how many (0 at the end of the file).</summary>
    public async ValueTask<int> FillAsync(FileStream file, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Pending.CopyTo(_bytes);
            _end -= _start;
            _start = 0;
        }

        if (_end == _bytes.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_bytes.Length * 2);
            _bytes.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = bigger;
        }

        var n = await file.ReadAsync(_bytes.AsMemory(_end), cancellationToken);
        _end += n;
        return n;
    }

    /// <summary>Marks the first <paramref name="count"/> pending bytes as consumed.</summary>
    public void Consume(int count) => _start += count;

    public void Clear() => _start = _end = 0;

    public void Dispose() => ArrayPool<byte>.Shared.Return(_bytes);
}
