using System.Buffers.Binary;
using Google.Protobuf;

namespace Korral.Kubelet.Cri;

/// <summary>
/// gRPC's length-prefixed message framing: one byte for the compressed flag, a 4-byte big-endian length, then the
/// protobuf bytes. Compression is never negotiated (no grpc-encoding header is sent), so the flag is always 0.
/// </summary>
public static class GrpcFraming
{
    /// <summary>The size of the prefix in front of each message.</summary>
    public const int HeaderLength = 5;

    /// <summary>
    /// The largest message accepted from the runtime: the kubelet's own limit (16 MiB), above gRPC's 4 MiB default because
    /// a node's ListContainers answer can outgrow it.
    /// </summary>
    public const int MaxMessageLength = 16 * 1024 * 1024;

    /// <summary>The message with its prefix, in one array of exactly the right size.</summary>
    public static byte[] Encode(IMessage message)
    {
        var length = message.CalculateSize();
        var frame = new byte[HeaderLength + length];
        WriteHeader(frame, length);
        message.WriteTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    /// <summary>Writes an uncompressed prefix for a message of <paramref name="length"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, int length)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..HeaderLength], checked((uint)length));
    }

    /// <summary>Reads a prefix: whether the message is compressed and how long it is.</summary>
    public static (bool Compressed, uint Length) ReadHeader(ReadOnlySpan<byte> header) =>
        (header[0] != 0, BinaryPrimitives.ReadUInt32BigEndian(header[1..HeaderLength]));
}
