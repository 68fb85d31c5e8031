using Korral.Streaming.RemoteCommand;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Kubelets;

/// <summary>
/// The v1 PodExecOptions of a pods/exec request, decoded from the query as upstream's parameter codec does (each argv
/// element is its own <c>command=</c>; flags as <see cref="GoQuery.Flag"/>), and re-encoded for the kubelet's /exec query
/// as upstream's streamParams does. Upstream checks nothing else here: kubectl insists on a command, and the kubelet
/// refuses a session without any stream.
/// </summary>
public sealed record PodExecOptions
{
    public string Container { get; init; } = "";

    public IReadOnlyList<string> Command { get; init; } = [];

    public bool Stdin { get; init; }

    public bool Stdout { get; init; }

    public bool Stderr { get; init; }

    public bool Tty { get; init; }

    public RemoteCommandStreams Streams => new(Stdin, Stdout, Stderr, Tty);

    public static PodExecOptions Decode(IQueryCollection query) => new()
    {
        Container = GoQuery.First(query, "container"),
        Command = query["command"].Select(c => c ?? "").ToList(),
        Stdin = GoQuery.Flag(query, "stdin"),
        Stdout = GoQuery.Flag(query, "stdout"),
        Stderr = GoQuery.Flag(query, "stderr"),
        Tty = GoQuery.Flag(query, "tty"),
    };

    /// <summary>The kubelet's query: <c>command=…&amp;error=1&amp;input=1&amp;output=1&amp;tty=1</c> (keys sorted, unset flags absent).</summary>
    public string KubeletQuery() => GoQuery.Encode(RemoteCommandQuery.Flags(Streams).Concat(Command.Select(c => KeyValuePair.Create("command", c))));
}
