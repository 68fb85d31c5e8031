using Korral.Streaming.RemoteCommand;

namespace Korral.ApiServer.Kubelets;

/// <summary>The kubelet's names for the streams of exec and attach (upstream's Exec*Param constants), "1" when asked for.</summary>
internal static class RemoteCommandQuery
{
    public static IEnumerable<KeyValuePair<string, string>> Flags(RemoteCommandStreams streams)
    {
        if (streams.Stdin)
        {
            yield return KeyValuePair.Create("input", "1");
        }

        if (streams.Stdout)
        {
            yield return KeyValuePair.Create("output", "1");
        }

        if (streams.Stderr)
        {
            yield return KeyValuePair.Create("error", "1");
        }

        if (streams.Tty)
        {
            yield return KeyValuePair.Create("tty", "1");
        }
    }
}
