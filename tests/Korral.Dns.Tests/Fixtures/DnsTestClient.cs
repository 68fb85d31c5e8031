using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Korral.Dns.Wire;

namespace Korral.Dns.Tests.Fixtures;

/// <summary>A minimal stub resolver for tests: one query over UDP or TCP, with a timeout.</summary>
public static class DnsTestClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static DnsMessage Query(string name, DnsType type, ushort? ednsSize = null)
    {
        var query = new DnsMessage { Id = (ushort)Random.Shared.Next(65536), RecursionDesired = true };
        query.Questions.Add(new DnsQuestion(name, type));
        if (ednsSize is { } size)
        {
            query.Edns = new EdnsOptions(size);
        }

        return query;
    }

    public static async Task<DnsMessage> UdpAsync(IPEndPoint server, DnsMessage query) =>
        DnsMessage.Decode(await UdpRawAsync(server, query.Encode()));

    public static async Task<byte[]> UdpRawAsync(IPEndPoint server, byte[] request)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(server);
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.SendAsync(request, SocketFlags.None, timeout.Token);
        var buffer = new byte[65535];
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return buffer[..received];
    }

    public static async Task<DnsMessage> TcpAsync(IPEndPoint server, DnsMessage query)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(server, timeout.Token);
        var stream = client.GetStream();
        return await TcpExchangeAsync(stream, query, timeout.Token);
    }

    public static async Task<DnsMessage> TcpExchangeAsync(Stream stream, DnsMessage query, CancellationToken cancellationToken)
    {
        var bytes = query.Encode();
        var framed = new byte[bytes.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)bytes.Length);
        bytes.CopyTo(framed, 2);
        await stream.WriteAsync(framed, cancellationToken);
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, cancellationToken);
        var response = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(response, cancellationToken);
        return DnsMessage.Decode(response);
    }

    /// <summary>As a stub resolver does: UDP first, TCP again when the answer came back truncated.</summary>
    public static async Task<(DnsMessage Response, bool RetriedOverTcp)> ResolveAsync(IPEndPoint server, DnsMessage query)
    {
        var response = await UdpAsync(server, query);
        return response.Truncated ? (await TcpAsync(server, query), true) : (response, false);
    }

    /// <summary>Records of a section as "name. ttl class type data" with single spaces, sorted, for comparisons.</summary>
    public static string[] Lines(IEnumerable<DnsRecord> records) =>
        records.Select(r => System.Text.RegularExpressions.Regex.Replace(r.ToString(), @"\s+", " ")).Order(StringComparer.Ordinal).ToArray();
}
