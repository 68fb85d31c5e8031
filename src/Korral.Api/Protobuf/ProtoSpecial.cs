namespace Korral.Api.Protobuf;

/// <summary>Messages whose JSON form is not an object of their fields.</summary>
public enum ProtoSpecial : byte
{
    /// <summary>An ordinary message: a JSON object.</summary>
    None,

    /// <summary>meta/v1 Time (seconds, nanos): an RFC 3339 string with second precision; an empty message is the zero time (omitted).</summary>
    Time,

    /// <summary>meta/v1 MicroTime: an RFC 3339 string with six fractional digits.</summary>
    MicroTime,

    /// <summary>meta/v1 Duration (nanoseconds): a Go duration string such as "1h0m0s".</summary>
    Duration,

    /// <summary>resource.Quantity (field 1 string): the string.</summary>
    Quantity,

    /// <summary>intstr.IntOrString (1 type, 2 intVal, 3 strVal): a JSON number or string.</summary>
    IntOrString,

    /// <summary>runtime.RawExtension (field 1 raw bytes holding JSON): the embedded JSON.</summary>
    RawExtension,

    /// <summary>meta/v1 FieldsV1 (field 1 raw bytes holding JSON): the embedded JSON.</summary>
    FieldsV1,

    /// <summary>A wrapper around "repeated string items = 1" (authentication ExtraValue, meta Verbs): a JSON array.</summary>
    StringList,
}
