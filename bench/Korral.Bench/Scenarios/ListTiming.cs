namespace Korral.Bench.Scenarios;

/// <summary>One timed LIST: body size, time to headers, time to the last byte, or what failed.</summary>
public sealed record ListTiming(long Bytes, TimeSpan FirstByte, TimeSpan Total, string? Error);
