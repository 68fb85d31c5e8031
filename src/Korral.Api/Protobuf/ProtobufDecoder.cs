using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Korral.Api.Protobuf;

/// <summary>
/// Turns a Kubernetes protobuf message into the JSON object kubectl would have sent for the same object.
/// <para>
/// Presence rule. Go's encoder writes every non-pointer field, zero or not (an empty name is <c>0a 00</c>), and a pointer
/// field only when it is set. So, for a singular field:
/// an empty string, a zero number, false, empty bytes, a zero IntOrString and a zero Duration are dropped, unless
/// <see cref="ProtoField.KeepZero"/> is set: for Go pointer fields, where an explicit zero is meaningful (replicas: 0,
/// automountServiceAccountToken: false), and for fields the OpenAPI schema lists as required (no omitempty, so Go's JSON
/// writes their zero too: PodDisruptionBudget status counters, TokenRequest status.token);
/// a nested message that is present is kept even when empty (<c>"resources":{}</c>, <c>"strategy":{}</c>, <c>"status":{}</c>,
/// as kubectl's JSON has them), except an empty Time/MicroTime (the zero time, which Go's JSON writes as null) and an empty
/// RawExtension/FieldsV1, which are dropped. List elements and map values are always kept as they are.
/// Unknown field numbers are skipped. Properties come out in field-number order; embedded (inline) structs are flattened.
/// </para>
/// </summary>
public static class ProtobufDecoder
{
    /// <summary>Nesting limit for messages and embedded objects.</summary>
    public const int MaxDepth = 100;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="data"/> as the message <paramref name="messageName"/> (e.g. "k8s.io.api.core.v1.ConfigMap").</summary>
    public static JsonObject DecodeMessage(string messageName, ReadOnlySpan<byte> data)
    {
        var message = ProtoCatalog.Find(messageName) ?? throw new ArgumentException($"unknown protobuf message {messageName}", nameof(messageName));
        return AsParsedJson(DecodeObject(message, data, 0));
    }

    /// <summary>
    /// The same tree as if it had been parsed from JSON text: values built with JsonValue.Create(int) only convert to int,
    /// while parsed values convert to any numeric type, which is what code handling JSON bodies expects.
    /// </summary>
    internal static JsonObject AsParsedJson(JsonObject obj) =>
        JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(obj), documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth * 2 })!.AsObject();

    internal static JsonObject DecodeObject(ProtoMessage message, ReadOnlySpan<byte> data, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new ProtobufFormatException($"message nesting deeper than {MaxDepth}");
        }

        var fields = message.Fields;
        var slots = new JsonNode?[fields.Count];
        var seen = new bool[fields.Count];
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var number, out var wireType))
        {
            var field = message.FindField(number);
            if (field == null || (field.Type == ProtoType.Message && field.Message == null))
            {
                reader.Skip(wireType);
                continue;
            }

            var i = field.Index;
            if (field.IsMap)
            {
                Expect(field, wireType, ProtoReader.WireLength);
                var map = (JsonObject)(slots[i] ??= new JsonObject());
                var (key, value) = ReadMapEntry(field, reader.ReadLengthDelimited(), depth);
                map.Remove(key);
                map[key] = value;
            }
            else if (field.Repeated)
            {
                var list = (JsonArray)(slots[i] ??= new JsonArray());
                if (wireType == ProtoReader.WireLength && IsPackable(field.Type))
                {
                    var packed = new ProtoReader(reader.ReadLengthDelimited());
                    while (!packed.End)
                    {
                        list.Add(ReadScalar(field, ref packed, WireTypeOf(field.Type)));
                    }
                }
                else
                {
                    list.Add(ReadValue(field, ref reader, wireType, depth));
                }
            }
            else
            {
                slots[i] = ReadValue(field, ref reader, wireType, depth);
                seen[i] = true;
            }
        }

        var obj = new JsonObject();
        for (var i = 0; i < fields.Count; i++)
        {
            var node = slots[i];
            var field = fields[i];
            if (node == null)
            {
                continue;
            }

            if (field.Inline && node is JsonObject embedded)
            {
                foreach (var (key, value) in embedded.ToList())
                {
                    embedded.Remove(key);
                    obj.Remove(key);
                    obj[key] = value;
                }

                continue;
            }

            if (seen[i] && !field.KeepZero && IsZero(field, node))
            {
                continue;
            }

            obj[field.JsonName] = node;
        }

        return obj;
    }

    private static (string Key, JsonNode? Value) ReadMapEntry(ProtoField field, ReadOnlySpan<byte> entry, int depth)
    {
        string? key = null;
        JsonNode? value = null;
        var valueSeen = false;
        var reader = new ProtoReader(entry);
        while (reader.TryReadTag(out var number, out var wireType))
        {
            switch (number)
            {
                case 1:
                    var k = ReadScalarAs(field.MapKeyType, field, ref reader, wireType);
                    key = k is JsonValue v && v.TryGetValue<string>(out var s) ? s : k?.ToJsonString();
                    break;
                case 2:
                    value = ReadValue(field, ref reader, wireType, depth);
                    valueSeen = true;
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        key ??= field.MapKeyType == ProtoType.String ? "" : "0";
        if (!valueSeen)
        {
            value = field.Type == ProtoType.Message ? DecodeMessageValue(field.Message!, [], depth + 1) : ZeroOf(field.Type);
        }

        return (key, value);
    }

    private static JsonNode? ReadValue(ProtoField field, ref ProtoReader reader, int wireType, int depth)
    {
        if (field.Type != ProtoType.Message)
        {
            return ReadScalar(field, ref reader, wireType);
        }

        Expect(field, wireType, ProtoReader.WireLength);
        return DecodeMessageValue(field.Message!, reader.ReadLengthDelimited(), depth + 1);
    }

    /// <summary>The JSON for one message value; null means "leave the property out".</summary>
    private static JsonNode? DecodeMessageValue(ProtoMessage message, ReadOnlySpan<byte> data, int depth)
    {
        switch (message.Special)
        {
            case ProtoSpecial.None:
                return DecodeObject(message, data, depth);
            case ProtoSpecial.Time:
            case ProtoSpecial.MicroTime:
            {
                if (data.IsEmpty)
                {
                    return null;
                }

                long seconds = 0;
                long nanos = 0;
                var r = new ProtoReader(data);
                while (r.TryReadTag(out var n, out var wt))
                {
                    if (n == 1 && wt == ProtoReader.WireVarint)
                    {
                        seconds = (long)r.ReadVarint();
                    }
                    else if (n == 2 && wt == ProtoReader.WireVarint)
                    {
                        nanos = (int)r.ReadVarint();
                    }
                    else
                    {
                        r.Skip(wt);
                    }
                }

                return JsonValue.Create(FormatTime(seconds, nanos, message.Special == ProtoSpecial.MicroTime));
            }

            case ProtoSpecial.Duration:
            {
                long nanos = 0;
                var r = new ProtoReader(data);
                while (r.TryReadTag(out var n, out var wt))
                {
                    if (n == 1 && wt == ProtoReader.WireVarint)
                    {
                        nanos = (long)r.ReadVarint();
                    }
                    else
                    {
                        r.Skip(wt);
                    }
                }

                return JsonValue.Create(FormatGoDuration(nanos));
            }

            case ProtoSpecial.Quantity:
            {
                var s = ReadStringField(data, 1) ?? "";
                return JsonValue.Create(s.Length == 0 ? "0" : s);
            }

            case ProtoSpecial.IntOrString:
            {
                long type = 0;
                long intVal = 0;
                string strVal = "";
                var r = new ProtoReader(data);
                while (r.TryReadTag(out var n, out var wt))
                {
                    switch (n)
                    {
                        case 1 when wt == ProtoReader.WireVarint: type = (long)r.ReadVarint(); break;
                        case 2 when wt == ProtoReader.WireVarint: intVal = (int)r.ReadVarint(); break;
                        case 3 when wt == ProtoReader.WireLength: strVal = Utf8(r.ReadLengthDelimited()); break;
                        default: r.Skip(wt); break;
                    }
                }

                return type switch
                {
                    0 => JsonValue.Create(intVal),
                    1 => JsonValue.Create(strVal),
                    _ => throw new ProtobufFormatException($"IntOrString has unknown type {type}"),
                };
            }

            case ProtoSpecial.RawExtension:
            case ProtoSpecial.FieldsV1:
            {
                var raw = ReadBytesField(data, 1);
                if (raw.IsEmpty)
                {
                    return null;
                }

                if (message.Special == ProtoSpecial.RawExtension && ProtobufEnvelope.HasMagic(raw))
                {
                    return ProtobufEnvelope.Decode(raw, depth + 1);
                }

                return ParseJson(raw);
            }

            case ProtoSpecial.StringList:
            {
                var list = new JsonArray();
                var r = new ProtoReader(data);
                while (r.TryReadTag(out var n, out var wt))
                {
                    if (n == 1 && wt == ProtoReader.WireLength)
                    {
                        list.Add(JsonValue.Create(Utf8(r.ReadLengthDelimited())));
                    }
                    else
                    {
                        r.Skip(wt);
                    }
                }

                return list;
            }

            default:
                throw new InvalidOperationException($"unhandled special message {message.Special}");
        }
    }

    private static JsonNode ReadScalar(ProtoField field, ref ProtoReader reader, int wireType) =>
        ReadScalarAs(field.Type, field, ref reader, wireType)!;

    private static JsonNode? ReadScalarAs(ProtoType type, ProtoField field, ref ProtoReader reader, int wireType)
    {
        Expect(field, wireType, WireTypeOf(type));
        switch (type)
        {
            case ProtoType.String:
                return JsonValue.Create(Utf8(reader.ReadLengthDelimited()));
            case ProtoType.Bytes:
                return JsonValue.Create(Convert.ToBase64String(reader.ReadLengthDelimited()));
            case ProtoType.Bool:
                return JsonValue.Create(reader.ReadVarint() != 0);
            case ProtoType.Int32:
                return JsonValue.Create((int)reader.ReadVarint());
            case ProtoType.Int64:
                return JsonValue.Create((long)reader.ReadVarint());
            case ProtoType.Uint32:
                return JsonValue.Create((uint)reader.ReadVarint());
            case ProtoType.Uint64:
                return JsonValue.Create(reader.ReadVarint());
            case ProtoType.Sint32:
            {
                var v = (uint)reader.ReadVarint();
                return JsonValue.Create((int)(v >> 1) ^ -(int)(v & 1));
            }

            case ProtoType.Sint64:
            {
                var v = reader.ReadVarint();
                return JsonValue.Create((long)(v >> 1) ^ -(long)(v & 1));
            }

            case ProtoType.Fixed32:
                return JsonValue.Create(reader.ReadFixed32());
            case ProtoType.Sfixed32:
                return JsonValue.Create((int)reader.ReadFixed32());
            case ProtoType.Fixed64:
                return JsonValue.Create(reader.ReadFixed64());
            case ProtoType.Sfixed64:
                return JsonValue.Create((long)reader.ReadFixed64());
            case ProtoType.Float:
                return Finite(BitConverter.Int32BitsToSingle((int)reader.ReadFixed32()), field);
            case ProtoType.Double:
                return Finite(BitConverter.Int64BitsToDouble((long)reader.ReadFixed64()), field);
            default:
                throw new InvalidOperationException($"not a scalar: {type}");
        }
    }

    private static JsonNode Finite(double d, ProtoField field) =>
        double.IsFinite(d) ? JsonValue.Create(d) : throw new ProtobufFormatException($"field {field.Name}: {d} cannot be written as JSON");

    private static JsonNode? ZeroOf(ProtoType type) => type switch
    {
        ProtoType.String or ProtoType.Bytes => JsonValue.Create(""),
        ProtoType.Bool => JsonValue.Create(false),
        ProtoType.Float or ProtoType.Double => JsonValue.Create(0.0),
        _ => JsonValue.Create(0),
    };

    private static bool IsZero(ProtoField field, JsonNode node)
    {
        if (node is not JsonValue v)
        {
            return false;
        }

        var kind = v.GetValueKind();
        if (field.Type == ProtoType.Message)
        {
            return field.Message!.Special switch
            {
                ProtoSpecial.Duration => kind == JsonValueKind.String && v.GetValue<string>() == "0s",
                ProtoSpecial.IntOrString => kind == JsonValueKind.String ? v.GetValue<string>().Length == 0 : IsZeroNumber(v),
                _ => false,
            };
        }

        return kind switch
        {
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.False => true,
            JsonValueKind.Number => IsZeroNumber(v),
            _ => false,
        };
    }

    private static bool IsZeroNumber(JsonValue v) => v.ToJsonString() is "0" or "0.0" or "-0" or "-0.0";

    private static bool IsPackable(ProtoType t) => t is not (ProtoType.String or ProtoType.Bytes or ProtoType.Message);

    private static int WireTypeOf(ProtoType t) => t switch
    {
        ProtoType.Double or ProtoType.Fixed64 or ProtoType.Sfixed64 => ProtoReader.WireFixed64,
        ProtoType.Float or ProtoType.Fixed32 or ProtoType.Sfixed32 => ProtoReader.WireFixed32,
        ProtoType.String or ProtoType.Bytes or ProtoType.Message => ProtoReader.WireLength,
        _ => ProtoReader.WireVarint,
    };

    private static void Expect(ProtoField field, int actual, int expected)
    {
        if (actual != expected)
        {
            throw new ProtobufFormatException($"field {field.Name} ({field.Number}) has wire type {actual}, expected {expected}");
        }
    }

    internal static string Utf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new ProtobufFormatException("string is not valid UTF-8", e);
        }
    }

    internal static string? ReadStringField(ReadOnlySpan<byte> data, int number)
    {
        string? result = null;
        var r = new ProtoReader(data);
        while (r.TryReadTag(out var n, out var wt))
        {
            if (n == number && wt == ProtoReader.WireLength)
            {
                result = Utf8(r.ReadLengthDelimited());
            }
            else
            {
                r.Skip(wt);
            }
        }

        return result;
    }

    private static ReadOnlySpan<byte> ReadBytesField(ReadOnlySpan<byte> data, int number)
    {
        ReadOnlySpan<byte> result = default;
        var r = new ProtoReader(data);
        while (r.TryReadTag(out var n, out var wt))
        {
            if (n == number && wt == ProtoReader.WireLength)
            {
                result = r.ReadLengthDelimited();
            }
            else
            {
                r.Skip(wt);
            }
        }

        return result;
    }

    internal static JsonNode? ParseJson(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw new ProtobufFormatException("embedded raw data is not JSON: " + e.Message, e);
        }
    }

    /// <summary>RFC 3339 in UTC: "2024-01-02T03:04:05Z", or with six fractional digits for MicroTime.</summary>
    public static string FormatTime(long seconds, long nanos, bool micro)
    {
        const long Min = -62135596800; // 0001-01-01T00:00:00Z
        const long Max = 253402300799; // 9999-12-31T23:59:59Z
        if (seconds < Min || seconds > Max || nanos < 0 || nanos > 999_999_999)
        {
            throw new ProtobufFormatException($"timestamp out of range: {seconds}s {nanos}ns");
        }

        var t = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (!micro)
        {
            return t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        return t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." +
               (nanos / 1000).ToString("D6", CultureInfo.InvariantCulture) + "Z";
    }

    /// <summary>Formats nanoseconds the way Go's time.Duration.String does: "0s", "1.5s", "1h0m0s", "300ms", "2µs".</summary>
    public static string FormatGoDuration(long nanos)
    {
        if (nanos == 0)
        {
            return "0s";
        }

        var neg = nanos < 0;
        var u = neg ? (ulong)(-(nanos + 1)) + 1 : (ulong)nanos;
        var sb = new StringBuilder();
        if (neg)
        {
            sb.Append('-');
        }

        if (u < 1_000_000_000)
        {
            if (u < 1_000)
            {
                return sb.Append(u).Append("ns").ToString();
            }

            return u < 1_000_000
                ? AppendFraction(sb, u, 3).Append("µs").ToString()
                : AppendFraction(sb, u, 6).Append("ms").ToString();
        }

        var totalSeconds = u / 1_000_000_000;
        var hours = totalSeconds / 3600;
        var minutes = totalSeconds / 60 % 60;
        if (hours > 0)
        {
            sb.Append(hours).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            sb.Append(minutes).Append('m');
        }

        return AppendFraction(sb, u % 60_000_000_000, 9).Append('s').ToString();
    }

    private static StringBuilder AppendFraction(StringBuilder sb, ulong value, int digits)
    {
        ulong scale = 1;
        for (var i = 0; i < digits; i++)
        {
            scale *= 10;
        }

        sb.Append(value / scale);
        var frac = value % scale;
        if (frac != 0)
        {
            var s = frac.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
            sb.Append('.').Append(s);
        }

        return sb;
    }
}
