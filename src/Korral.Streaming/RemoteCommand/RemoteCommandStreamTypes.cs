namespace Korral.Streaming.RemoteCommand;

/// <summary>The <c>streamtype</c> header of the SPDY streams of exec, attach and port-forward.</summary>
internal static class RemoteCommandStreamTypes
{
    public const string Header = "streamtype";
    public const string Error = "error";
    public const string Stdin = "stdin";
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";
    public const string Resize = "resize";
}
