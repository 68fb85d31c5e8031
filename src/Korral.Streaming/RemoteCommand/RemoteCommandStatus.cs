using System.Text;
using System.Text.Json;

namespace Korral.Streaming.RemoteCommand;

/// <summary>
/// The metav1.Status sent on the status channel, as upstream's translator writes it: Success when the command
/// ended well, the runtime's own Status otherwise (v4 carries it as JSON on the SPDY error stream).
/// </summary>
internal static class RemoteCommandStatus
{
    public static byte[] Success { get; } = """{"metadata":{},"status":"Success"}"""u8.ToArray();

    /// <summary>A 500 Status, as apierrors.NewInternalError builds it.</summary>
    public static byte[] InternalError(string message)
    {
        using var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteEndObject();
            json.WriteString("status", "Failure");
            json.WriteString("message", $"Internal error occurred: {message}");
            json.WriteString("reason", "InternalError");
            json.WriteStartObject("details");
            json.WriteStartArray("causes");
            json.WriteStartObject();
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteNumber("code", 500);
            json.WriteEndObject();
        }

        return output.ToArray();
    }

    /// <summary>
    /// What to send for the content of the upstream error stream: nothing means success (client-go's v4 decoder says
    /// so), a Status object is passed on as it came, anything else is a protocol error.
    /// </summary>
    public static byte[] FromErrorStream(ReadOnlySpan<byte> content)
    {
        var trimmed = content.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            return Success;
        }

        if (IsStatus(trimmed))
        {
            return trimmed.ToArray();
        }

        return InternalError($"error stream protocol error: unexpected content \"{Encoding.UTF8.GetString(trimmed)}\"");
    }

    /// <summary>Whether the bytes are a JSON object with a "status" field (a metav1.Status).</summary>
    public static bool IsStatus(ReadOnlySpan<byte> content)
    {
        var trimmed = content.Trim(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(trimmed);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("status", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
