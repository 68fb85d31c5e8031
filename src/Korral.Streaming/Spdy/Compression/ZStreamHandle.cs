using System.Runtime.InteropServices;

namespace Korral.Streaming.Spdy.Compression;

/// <summary>
/// Owns one native <see cref="ZStream"/>: its memory and, once initialised, zlib's state behind it (ended with
/// deflateEnd or inflateEnd on release).
/// </summary>
internal sealed unsafe class ZStreamHandle : SafeHandle
{
    private readonly bool _deflate;
    private bool _initialised;

    private ZStreamHandle(bool deflate)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _deflate = deflate;
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The stream; only valid between DangerousAddRef and DangerousRelease.</summary>
    public ZStream* Stream => (ZStream*)handle;

    public static ZStreamHandle CreateDeflater(int level) => Create(deflate: true, level);

    public static ZStreamHandle CreateInflater() => Create(deflate: false, level: 0);

    protected override bool ReleaseHandle()
    {
        var stream = (ZStream*)handle;
        if (_initialised)
        {
            _ = _deflate ? ZLibNative.DeflateEnd(stream) : ZLibNative.InflateEnd(stream);
        }

        NativeMemory.Free(stream);
        return true;
    }

    private static ZStreamHandle Create(bool deflate, int level)
    {
        // The struct layout is LP64's; anywhere else zlib would write past it rather than fail.
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            throw new PlatformNotSupportedException("SPDY header compression needs zlib on 64-bit Linux.");
        }

        var result = new ZStreamHandle(deflate);
        result.SetHandle((IntPtr)NativeMemory.AllocZeroed((nuint)sizeof(ZStream)));
        var stream = result.Stream;
        var rc = deflate
            ? ZLibNative.DeflateInit(stream, level, ZLibNative.Version(), sizeof(ZStream))
            : ZLibNative.InflateInit(stream, ZLibNative.Version(), sizeof(ZStream));
        if (rc != ZLibNative.Ok)
        {
            result.Dispose();
            throw new InvalidOperationException($"zlib {(deflate ? "deflateInit" : "inflateInit")} failed ({rc}).");
        }

        result._initialised = true;
        return result;
    }
}
