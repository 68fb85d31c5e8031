using System.Globalization;
using System.Text.RegularExpressions;

namespace Korral.Bench.Kubelet.Measurement;

/// <summary>
/// The node's containerd log read back after a scenario: its CRI plugin logs every call at info level when it starts and
/// when it returns (RunPodSandbox, PullImage, CreateContainer, StartContainer, StopContainer, StopPodSandbox,
/// RemovePodSandbox) with a nanosecond UTC timestamp, so each pod's runtime steps can be put beside what the watch saw.
/// A pod's calls are joined through its UID (RunPodSandbox names it), its sandbox id and its container id.
/// </summary>
public sealed partial class ContainerdLog
{
    private readonly Dictionary<string, (DateTimeOffset? Start, DateTimeOffset? End, string? SandboxId)> _sandboxByUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset? Start, DateTimeOffset? End, string? ContainerId)> _containerBySandbox = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset? Start, DateTimeOffset? End)> _start = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset? Start, DateTimeOffset? End)> _stop = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset? Start, DateTimeOffset? End)> _stopSandbox = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _removeSandbox = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _shimStarted = new(StringComparer.Ordinal);
    private readonly List<(string Image, DateTimeOffset Start, DateTimeOffset? End)> _pulls = [];

    /// <summary>Every PullImage call: image, start, end (null when it had not returned).</summary>
    public IReadOnlyList<(string Image, DateTimeOffset Start, DateTimeOffset? End)> Pulls => _pulls;

    public static ContainerdLog Read(string path)
    {
        var log = new ContainerdLog();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            log.Add(line);
        }

        return log;
    }

    /// <summary>The runtime's side of one pod (its first sandbox attempt and the first container started in it).</summary>
    public RuntimeTimeline? For(string uid)
    {
        if (!_sandboxByUid.TryGetValue(uid, out var sandbox))
        {
            return null;
        }

        var container = sandbox.SandboxId is { } sid && _containerBySandbox.TryGetValue(sid, out var c) ? c : default;
        var start = container.ContainerId is { } cid && _start.TryGetValue(cid, out var s) ? s : default;
        var stop = container.ContainerId is { } id && _stop.TryGetValue(id, out var st) ? st : default;
        var stopSandbox = sandbox.SandboxId is { } ss && _stopSandbox.TryGetValue(ss, out var sst) ? sst : default;
        DateTimeOffset? removed = sandbox.SandboxId is { } rs && _removeSandbox.TryGetValue(rs, out var r) ? r : null;
        DateTimeOffset? shim = sandbox.SandboxId is { } sh && _shimStarted.TryGetValue(sh, out var started) ? started : null;

        // A pull belongs to this pod when exactly one started between its sandbox and its container (sequential runs).
        (DateTimeOffset? Start, DateTimeOffset? End) pull = default;
        if (sandbox.End is { } from && container.Start is { } to)
        {
            var between = _pulls.Where(p => p.Start >= from && p.Start <= to).ToList();
            if (between.Count == 1)
            {
                pull = (between[0].Start, between[0].End);
            }
        }

        return new RuntimeTimeline
        {
            RunPodSandboxStart = sandbox.Start,
            RunPodSandboxEnd = sandbox.End,
            ShimStarted = shim,
            PullStart = pull.Start,
            PullEnd = pull.End,
            CreateContainerStart = container.Start,
            CreateContainerEnd = container.End,
            StartContainerStart = start.Start,
            StartContainerEnd = start.End,
            StopContainerStart = stop.Start,
            StopContainerEnd = stop.End,
            StopPodSandboxStart = stopSandbox.Start,
            StopPodSandboxEnd = stopSandbox.End,
            RemovePodSandboxEnd = removed,
        };
    }

    private void Add(string line)
    {
        var m = Line().Match(line);
        if (!m.Success || !DateTimeOffset.TryParse(m.Groups["time"].ValueSpan, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return;
        }

        if (m.Groups["msg"].ValueSpan.SequenceEqual("starting signal loop") && ShimPath().Match(line) is { Success: true } shim)
        {
            // One shim per sandbox (runc v2 groups a pod's containers): its task directory is named after the sandbox id.
            _shimStarted.TryAdd(shim.Groups[1].Value, at);
            return;
        }

        // Inside msg="…" quotes are escaped; unescape them once so the patterns read like the messages.
        var msg = m.Groups["msg"].Value.Replace("\\\"", "\"", StringComparison.Ordinal);
        Match x;
        if ((x = SandboxStart().Match(msg)).Success)
        {
            // Only the first attempt of a pod counts: a second one (sandbox recreated) would be a separate finding.
            _sandboxByUid.TryAdd(x.Groups[1].Value, (at, null, null));
        }
        else if ((x = SandboxEnd().Match(msg)).Success)
        {
            var uid = x.Groups[1].Value;
            if (_sandboxByUid.TryGetValue(uid, out var s) && s.End is null)
            {
                _sandboxByUid[uid] = (s.Start, at, x.Groups[2].Value);
            }
        }
        else if ((x = CreateStart().Match(msg)).Success)
        {
            _containerBySandbox.TryAdd(x.Groups[1].Value, (at, null, null));
        }
        else if ((x = CreateEnd().Match(msg)).Success)
        {
            var sid = x.Groups[1].Value;
            if (_containerBySandbox.TryGetValue(sid, out var c) && c.End is null)
            {
                _containerBySandbox[sid] = (c.Start, at, x.Groups[2].Value);
            }
        }
        else if ((x = StartStart().Match(msg)).Success)
        {
            _start.TryAdd(x.Groups[1].Value, (at, null));
        }
        else if ((x = StartEnd().Match(msg)).Success)
        {
            End(_start, x.Groups[1].Value, at);
        }
        else if ((x = StopStart().Match(msg)).Success)
        {
            _stop.TryAdd(x.Groups[1].Value, (at, null));
        }
        else if ((x = StopEnd().Match(msg)).Success)
        {
            End(_stop, x.Groups[1].Value, at);
        }
        else if ((x = StopSandboxStart().Match(msg)).Success)
        {
            _stopSandbox.TryAdd(x.Groups[1].Value, (at, null));
        }
        else if ((x = StopSandboxEnd().Match(msg)).Success)
        {
            End(_stopSandbox, x.Groups[1].Value, at);
        }
        else if ((x = RemoveSandboxEnd().Match(msg)).Success)
        {
            _removeSandbox.TryAdd(x.Groups[1].Value, at);
        }
        else if ((x = PullEnd().Match(msg)).Success)
        {
            // Pulls of one image are paired first in, first out (containerd answers them in the order they came in
            // closely enough for durations; in parallel runs only the overall figures are used).
            var i = _pulls.FindIndex(p => p.Image == x.Groups[1].Value && p.End is null);
            if (i >= 0)
            {
                _pulls[i] = _pulls[i] with { End = at };
            }
        }
        else if ((x = PullStart().Match(msg)).Success)
        {
            _pulls.Add((x.Groups[1].Value, at, null));
        }
    }

    private static void End(Dictionary<string, (DateTimeOffset? Start, DateTimeOffset? End)> calls, string id, DateTimeOffset at)
    {
        if (calls.TryGetValue(id, out var call) && call.End is null)
        {
            calls[id] = (call.Start, at);
        }
    }

    [GeneratedRegex("^time=\"(?<time>[^\"]+)\" level=\\w+ msg=\"(?<msg>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Line();

    [GeneratedRegex(" path=\\S+/([0-9a-f]{64}) ")]
    private static partial Regex ShimPath();

    [GeneratedRegex("^RunPodSandbox for &PodSandboxMetadata\\{[^}]*Uid:([^,]+),[^}]*\\}$")]
    private static partial Regex SandboxStart();

    [GeneratedRegex("^RunPodSandbox for &PodSandboxMetadata\\{[^}]*Uid:([^,]+),[^}]*\\} returns sandbox id \"([0-9a-f]+)\"")]
    private static partial Regex SandboxEnd();

    [GeneratedRegex("^CreateContainer within sandbox \"([0-9a-f]+)\" for container &ContainerMetadata")]
    private static partial Regex CreateStart();

    [GeneratedRegex("^CreateContainer within sandbox \"([0-9a-f]+)\" for &ContainerMetadata\\{[^}]*\\} returns container id \"([0-9a-f]+)\"")]
    private static partial Regex CreateEnd();

    [GeneratedRegex("^StartContainer for \"([0-9a-f]+)\"$")]
    private static partial Regex StartStart();

    [GeneratedRegex("^StartContainer for \"([0-9a-f]+)\" returns successfully")]
    private static partial Regex StartEnd();

    [GeneratedRegex("^StopContainer for \"([0-9a-f]+)\" with timeout")]
    private static partial Regex StopStart();

    [GeneratedRegex("^StopContainer for \"([0-9a-f]+)\" returns successfully")]
    private static partial Regex StopEnd();

    [GeneratedRegex("^StopPodSandbox for \"([0-9a-f]+)\"$")]
    private static partial Regex StopSandboxStart();

    [GeneratedRegex("^StopPodSandbox for \"([0-9a-f]+)\" returns successfully")]
    private static partial Regex StopSandboxEnd();

    [GeneratedRegex("^RemovePodSandbox \"([0-9a-f]+)\" returns successfully")]
    private static partial Regex RemoveSandboxEnd();

    [GeneratedRegex("^PullImage \"([^\"]+)\"$")]
    private static partial Regex PullStart();

    [GeneratedRegex("^PullImage \"([^\"]+)\" returns image reference")]
    private static partial Regex PullEnd();
}
