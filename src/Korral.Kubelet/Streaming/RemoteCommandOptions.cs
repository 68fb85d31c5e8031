using Microsoft.AspNetCore.Http;

namespace Korral.Kubelet.Streaming;

/// <summary>
/// The streams an exec or attach asks for, from the query the API server sends (upstream's ExecLocation/AttachLocation:
/// <c>input=1</c>, <c>output=1</c>, <c>error=1</c>, <c>tty=1</c>, one <c>command=</c> per argument). The kubectl
/// spellings <c>stdin=true</c>, <c>stdout=true</c>, <c>stderr=true</c>, <c>tty=true</c> count as well.
/// </summary>
internal sealed record RemoteCommandOptions(bool Stdin, bool Stdout, bool Stderr, bool Tty)
{
    /// <summary>Upstream's kubelet answers 400 with this text when no stream is asked for.</summary>
    public const string NoStreamsError = "you must specify at least 1 of stdin, stdout, stderr";

    /// <summary>The options, or the kubelet's 400 text. With a terminal, stderr is dropped: a TTY merges it into stdout.</summary>
    public static (RemoteCommandOptions? Options, string? Error) FromQuery(IQueryCollection query)
    {
        var tty = Flag(query, "tty");
        var stdin = Flag(query, "input", "stdin");
        var stdout = Flag(query, "output", "stdout");
        var stderr = Flag(query, "error", "stderr") && !tty;
        if (!stdin && !stdout && !stderr)
        {
            return (null, NoStreamsError);
        }

        return (new RemoteCommandOptions(stdin, stdout, stderr, tty), null);
    }

    /// <summary>The command of an exec: every <c>command</c> value in order.</summary>
    public static IReadOnlyList<string> Command(IQueryCollection query) => [.. query["command"].Select(c => c ?? "")];

    private static bool Flag(IQueryCollection query, params string[] names) =>
        names.Any(name => query[name].FirstOrDefault() is { } value &&
                          (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase)));
}
