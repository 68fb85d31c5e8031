namespace Korral.Streaming.Spdy.Frames;

/// <summary>SETTINGS: read and ignored, as spdystream does.</summary>
internal sealed record SettingsFrame(byte Flags, IReadOnlyList<SpdySetting> Settings) : SpdyFrame;
