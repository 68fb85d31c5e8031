using Korral.Streaming.RemoteCommand;
using Microsoft.AspNetCore.Http;

namespace Korral.ApiServer.Kubelets;

/// <summary>
/// The v1 PodAttachOptions of a pods/attach request: <see cref="PodExecOptions"/> without a command.
/// </summary>
public sealed record PodAttachOptions
{
    public string Container { get; init; } = "";

    public bool Stdin { get; init; }

    public bool Stdout { get; init; }

    public bool Stderr { get; init; }

    public bool Tty { get; init; }

    public RemoteCommandStreams Streams => new(Stdin, Stdout, Stderr, Tty);

    public static PodAttachOptions Decode(IQueryCollection query) => new()
    {
        Container = GoQuery.First(query, "container"),
        Stdin = GoQuery.Flag(query, "stdin"),
        Stdout = GoQuery.Flag(query, "stdout"),
        Stderr = GoQuery.Flag(query, "stderr"),
        Tty = GoQuery.Flag(query, "tty"),
    };

    /// <summary>The kubelet's query: <c>error=1&amp;input=1&amp;output=1&amp;tty=1</c> (keys sorted, unset flags absent).</summary>
    public string KubeletQuery() => GoQuery.Encode(RemoteCommandQuery.Flags(Streams));
}
