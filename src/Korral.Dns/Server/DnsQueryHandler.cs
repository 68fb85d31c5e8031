using Korral.Dns.Forwarding;
using Korral.Dns.Wire;
using Korral.Dns.Zone;

namespace Korral.Dns.Server;

/// <summary>
/// Turns one query (wire format) into its response: names of the cluster zone from <see cref="ClusterZone"/>,
/// everything else through the <see cref="IDnsForwarder"/>. Applies EDNS (the client's UDP size, capped; OPT echoed;
/// BADVERS for versions above 0) and truncation (TC over UDP, so that the client retries over TCP). The request is only
/// read before the first await, so a receive buffer may be reused as soon as the call returns.
/// </summary>
public sealed class DnsQueryHandler
{
    private readonly ClusterZone _zone;
    private readonly IDnsForwarder _forwarder;
    private readonly int _maxUdpSize;
    private readonly int _maxForwards;
    private int _forwarding;

    public DnsQueryHandler(ClusterZone zone, IDnsForwarder forwarder, int maxUdpSize = 1232, int maxConcurrentForwards = 1000)
    {
        _zone = zone;
        _forwarder = forwarder;
        _maxUdpSize = maxUdpSize;
        _maxForwards = maxConcurrentForwards;
    }

    /// <summary>The response, or null when nothing should be sent (a response, or a datagram too short for a header).</summary>
    public ValueTask<byte[]?> HandleAsync(ReadOnlyMemory<byte> request, DnsTransport transport, CancellationToken cancellationToken)
    {
        DnsMessage query;
        try
        {
            query = DnsMessage.Decode(request.Span);
        }
        catch (DnsFormatException)
        {
            return new(FormatError(request.Span));
        }

        if (query.IsResponse)
        {
            return new((byte[]?)null);
        }

        var limit = transport == DnsTransport.Udp ? ClientUdpSize(query) : DnsMessage.MaxSize;
        if (query.Edns is { Version: > 0 })
        {
            var badVersion = DnsMessage.ResponseTo(query, DnsRcode.BadVers);
            badVersion.Questions.Clear();
            badVersion.Edns = new EdnsOptions((ushort)_maxUdpSize);
            return new(badVersion.Encode(limit));
        }

        if (query.Opcode != DnsOpcode.Query || query.Questions.Count != 1)
        {
            return new(Reply(query, query.Opcode != DnsOpcode.Query ? DnsRcode.NotImp : DnsRcode.FormErr, limit));
        }

        var question = query.Questions[0];
        var answer = question.Class is DnsClass.IN or DnsClass.ANY ? _zone.Resolve(question.Name, question.Type) : null;
        if (answer is null)
        {
            if (_zone.InZone(DnsNames.WithoutFinalDot(question.Name).ToLowerInvariant()))
            {
                return new(Reply(query, DnsRcode.Refused, limit)); // another class, or a zone transfer: not served
            }

            return ForwardAsync(request.ToArray(), query, transport, limit, cancellationToken);
        }

        if (question.Type is DnsType.AXFR or DnsType.IXFR)
        {
            return new(Reply(query, DnsRcode.Refused, limit));
        }

        var response = DnsMessage.ResponseTo(query, answer.Rcode);
        response.AuthoritativeAnswer = true;
        response.Answers.AddRange(answer.Answers);
        response.Authorities.AddRange(answer.Authorities);
        response.Additionals.AddRange(answer.Additionals);
        if (query.Edns is not null)
        {
            response.Edns = new EdnsOptions((ushort)_maxUdpSize);
        }

        return answer.Chase is { } chase ? ChaseAsync(response, chase, question.Type, limit, cancellationToken) : new(response.Encode(limit));
    }

    private async ValueTask<byte[]?> ForwardAsync(byte[] request, DnsMessage query, DnsTransport transport, int limit, CancellationToken cancellationToken)
    {
        if (!TryStartForward())
        {
            return Reply(query, DnsRcode.Refused, limit, recursionAvailable: true);
        }

        try
        {
            var response = await _forwarder.ForwardAsync(request, transport, cancellationToken);
            if (response is null)
            {
                return Reply(query, DnsRcode.ServFail, limit, recursionAvailable: true);
            }

            if (response.Length > limit)
            {
                // The upstream answered over TCP or for a larger size than this client takes: the client asks again over TCP.
                var truncated = DnsMessage.ResponseTo(query);
                truncated.Truncated = true;
                truncated.RecursionAvailable = true;
                truncated.Edns = query.Edns is null ? null : new EdnsOptions((ushort)_maxUdpSize);
                return truncated.Encode(limit);
            }

            return response;
        }
        finally
        {
            Interlocked.Decrement(ref _forwarding);
        }
    }

    /// <summary>Appends the upstream's answer for an ExternalName's target; the CNAME alone stands if there is none.</summary>
    private async ValueTask<byte[]?> ChaseAsync(DnsMessage response, string target, DnsType type, int limit, CancellationToken cancellationToken)
    {
        var query = new DnsMessage { Id = (ushort)Random.Shared.Next(ushort.MaxValue + 1), RecursionDesired = true, Edns = new EdnsOptions((ushort)_maxUdpSize) };
        query.Questions.Add(new DnsQuestion(target, type));
        if (TryStartForward())
        {
            try
            {
                var upstream = await _forwarder.ForwardAsync(query.Encode(), DnsTransport.Tcp, cancellationToken);
                if (upstream is not null)
                {
                    var answer = DnsMessage.Decode(upstream);
                    if (answer.Rcode == DnsRcode.NoError)
                    {
                        response.Answers.AddRange(answer.Answers);
                    }
                }
            }
            catch (DnsFormatException)
            {
            }
            finally
            {
                Interlocked.Decrement(ref _forwarding);
            }
        }

        return response.Encode(limit);
    }

    private bool TryStartForward()
    {
        if (Interlocked.Increment(ref _forwarding) <= _maxForwards)
        {
            return true;
        }

        Interlocked.Decrement(ref _forwarding);
        return false;
    }

    private int ClientUdpSize(DnsMessage query) =>
        query.Edns is { } edns ? Math.Clamp(edns.UdpPayloadSize, DnsMessage.MinUdpSize, _maxUdpSize) : DnsMessage.MinUdpSize;

    private byte[] Reply(DnsMessage query, DnsRcode rcode, int limit, bool recursionAvailable = false)
    {
        var response = DnsMessage.ResponseTo(query, rcode);
        response.RecursionAvailable = recursionAvailable;
        response.Edns = query.Edns is null ? null : new EdnsOptions((ushort)_maxUdpSize);
        return response.Encode(limit);
    }

    /// <summary>FORMERR with the id and opcode of a query that could not be read; nothing for responses or runts.</summary>
    private static byte[]? FormatError(ReadOnlySpan<byte> request)
    {
        if (request.Length < 12 || (request[2] & 0x80) != 0)
        {
            return null;
        }

        var response = new byte[12];
        response[0] = request[0];
        response[1] = request[1];
        response[2] = (byte)(0x80 | (request[2] & 0x78) | (request[2] & 0x01));
        response[3] = (byte)DnsRcode.FormErr;
        return response;
    }
}
