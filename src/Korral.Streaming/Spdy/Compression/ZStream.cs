using System.Runtime.InteropServices;

namespace Korral.Streaming.Spdy.Compression;

/// <summary>
/// zlib's <c>z_stream</c> as laid out on 64-bit Linux (LP64: <c>uInt</c> is 32 bits, <c>uLong</c> and pointers 64),
/// 112 bytes. It lives in native memory for its whole life: zlib keeps a pointer back to it in its internal state.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct ZStream
{
    public byte* NextIn;
    public uint AvailIn;
    public nuint TotalIn;
    public byte* NextOut;
    public uint AvailOut;
    public nuint TotalOut;
    public sbyte* Msg;
    public void* State;
    public void* ZAlloc;
    public void* ZFree;
    public void* Opaque;
    public int DataType;
    public nuint Adler;
    public nuint Reserved;
}
