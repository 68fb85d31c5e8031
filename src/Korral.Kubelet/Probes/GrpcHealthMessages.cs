using Google.Protobuf;

namespace Korral.Kubelet.Probes;

/// <summary>
/// The two messages of grpc.health.v1.Health/Check, written and read by hand (one field each, not worth a .proto):
/// HealthCheckRequest { string service = 1; } and HealthCheckResponse { ServingStatus status = 1; }.
/// </summary>
internal static class GrpcHealthMessages
{
    public const string CheckPath = "/grpc.health.v1.Health/Check";

    /// <summary>HealthCheckResponse.ServingStatus.SERVING, the only status that passes.</summary>
    public const int Serving = 1;

    public static byte[] EncodeRequest(string service)
    {
        if (service.Length == 0)
        {
            return [];
        }

        var bytes = new byte[CodedOutputStream.ComputeTagSize(1) + CodedOutputStream.ComputeStringSize(service)];
        var output = new CodedOutputStream(bytes);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteString(service);
        output.CheckNoSpaceLeft();
        return bytes;
    }

    /// <summary>The status of a HealthCheckResponse (0, UNKNOWN, when absent); unknown fields are skipped.</summary>
    public static int DecodeStatus(byte[] message)
    {
        var input = new CodedInputStream(message);
        var status = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == WireFormat.MakeTag(1, WireFormat.WireType.Varint))
            {
                status = input.ReadEnum();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return status;
    }

    /// <summary>The status's name as Go's generated code prints it (the number for a value it does not know).</summary>
    public static string StatusName(int status) => status switch
    {
        0 => "UNKNOWN",
        1 => "SERVING",
        2 => "NOT_SERVING",
        3 => "SERVICE_UNKNOWN",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
