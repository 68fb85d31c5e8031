using Korral.Streaming.Spdy.Frames;

namespace Korral.Streaming.Tests.Spdy;

/// <summary>A frame as comparable text (records hold headers and bytes by reference).</summary>
internal static class FrameText
{
    public static string Of(SpdyFrame frame) => frame switch
    {
        DataFrame d => $"DATA {d.StreamId} flags={d.Flags} {Convert.ToHexString(d.Data.Span)}",
        SynStreamFrame s => $"SYN_STREAM {s.StreamId} assoc={s.AssociatedStreamId} pri={s.Priority} slot={s.Slot} flags={s.Flags} [{s.Headers}]",
        SynReplyFrame r => $"SYN_REPLY {r.StreamId} flags={r.Flags} [{r.Headers}]",
        HeadersFrame h => $"HEADERS {h.StreamId} flags={h.Flags} [{h.Headers}]",
        SettingsFrame s => $"SETTINGS flags={s.Flags} [{string.Join(", ", s.Settings)}]",
        _ => frame.ToString(),
    };
}
