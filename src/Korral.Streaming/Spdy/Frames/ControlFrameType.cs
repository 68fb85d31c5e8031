namespace Korral.Streaming.Spdy.Frames;

/// <summary>The control frame types of SPDY/3 (5 NOOP is SPDY/2's, 10 CREDENTIAL is unused by Go).</summary>
internal enum ControlFrameType : ushort
{
    SynStream = 1,
    SynReply = 2,
    RstStream = 3,
    Settings = 4,
    Ping = 6,
    GoAway = 7,
    Headers = 8,
    WindowUpdate = 9,
}
