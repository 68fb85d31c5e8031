namespace Korral.Streaming.Spdy.Frames;

/// <summary>One entry of a SETTINGS frame.</summary>
internal readonly record struct SpdySetting(byte Flags, uint Id, uint Value);
