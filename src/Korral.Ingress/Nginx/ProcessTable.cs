using System.Globalization;

namespace Korral.Ingress.Nginx;

/// <summary>What /proc says about processes: enough to tell our nginx master and its workers from anything else.</summary>
internal static class ProcessTable
{
    /// <summary>One process: its command name, parent, process group and command line (arguments joined by spaces).</summary>
    public sealed record Entry(int Pid, string Command, int ParentPid, int GroupId, string CommandLine);

    /// <summary>The live process <paramref name="pid"/>, or null when it does not exist, exited while read, or is a zombie.</summary>
    public static Entry? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so parse from the last ')'.
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open)
            {
                return null;
            }

            var fields = stat[(close + 2)..].Split(' ');
            if (fields[0] == "Z")
            {
                return null;
            }

            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
            return new Entry(pid, stat[(open + 1)..close], int.Parse(fields[1], CultureInfo.InvariantCulture),
                int.Parse(fields[2], CultureInfo.InvariantCulture), commandLine);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The processes of group <paramref name="groupId"/> whose command is <paramref name="command"/>.</summary>
    public static List<Entry> Group(int groupId, string command)
    {
        var members = new List<Entry>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { } entry && entry.GroupId == groupId && entry.Command == command)
            {
                members.Add(entry);
            }
        }

        return members;
    }
}
