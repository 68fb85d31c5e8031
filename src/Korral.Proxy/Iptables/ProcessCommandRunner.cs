using System.Diagnostics;

namespace Korral.Proxy.Iptables;

/// <summary>
/// Runs commands as child processes, optionally behind a prefix: with ["nsenter", "--net=/proc/123/ns/net", "--"] every
/// command runs in that network namespace (tests; the host's rules are never touched).
/// </summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    private readonly IReadOnlyList<string> _prefix;

    public ProcessCommandRunner(IReadOnlyList<string>? prefix = null) => _prefix = prefix ?? [];

    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> arguments, string? stdin, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_prefix.Count > 0 ? _prefix[0] : file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in _prefix.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        if (_prefix.Count > 0)
        {
            start.ArgumentList.Add(file);
        }

        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        var command = string.Join(' ', [file, .. arguments]);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return new CommandResult(command, 127, "", $"{start.FileName}: {e.Message}");
        }

        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            try
            {
                if (stdin is not null)
                {
                    await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command exited without reading all of its input; its exit code and stderr say why.
            }

            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // An iptables-restore half-way is still one transaction: killing it leaves the old rules.
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CommandResult(command, process.ExitCode, await stdout, await stderr);
    }
}
