using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Korral.Kubelet.Logs;

/// <summary>
/// Finds where the last N lines of a log file start by reading it backwards in blocks, so tailing a 10 MiB file reads
/// only the blocks that hold those lines.
/// </summary>
internal static class LogTail
{
    private const int BlockSize = 64 * 1024;

    /// <summary>
    /// The offset of the first of the last <paramref name="lines"/> lines; 0 when the file has no more lines than that,
    /// or when <paramref name="lines"/> is negative. Lines are counted by their line breaks, as upstream's
    /// FindTailLineStartIndex does: a last line without a break is not counted (so it comes on top of the N).
    /// </summary>
    public static long FindStart(SafeFileHandle file, long length, long lines)
    {
        if (lines < 0)
        {
            return 0;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            // The start is just past the (lines + 1)-th line break counted from the end.
            long breaks = 0;
            var end = length;
            while (end > 0)
            {
                var start = Math.Max(0, end - BlockSize);
                var block = buffer.AsSpan(0, (int)(end - start));
                ReadExactly(file, block, start);
                var searched = block;
                int at;
                while ((at = searched.LastIndexOf((byte)'\n')) >= 0)
                {
                    if (++breaks == lines + 1)
                    {
                        return start + at + 1;
                    }

                    searched = searched[..at];
                }

                end = start;
            }

            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ReadExactly(SafeFileHandle file, Span<byte> block, long offset)
    {
        while (block.Length > 0)
        {
            var n = RandomAccess.Read(file, block, offset);
            if (n == 0)
            {
                // The file shrank under us (truncated): the rest of the block reads as zeros, which hold no line breaks.
                block.Clear();
                return;
            }

            block = block[n..];
            offset += n;
        }
    }
}
