using System.Text;

namespace Korral.Kubelet.Containerd;

/// <summary>
/// Renders containerd's config.toml (format version 2, as containerd 1.6 reads it) for the node's own instance. The
/// settings that matter on this kind of machine are explained where they are written.
/// </summary>
public static class ContainerdConfig
{
    private const string Cri = "plugins.\"io.containerd.grpc.v1.cri\"";

    public static string Render(ContainerdOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var toml = new StringBuilder(2048);
        toml.Append("# Written by korral on every start: edits are lost.\n");
        toml.Append("version = 2\n");
        toml.Append("root = ").Append(Toml.Quote(options.Root)).Append('\n');
        toml.Append("state = ").Append(Toml.Quote(options.State)).Append('\n');
        toml.Append('\n');
        toml.Append("[grpc]\n");
        toml.Append("  address = ").Append(Toml.Quote(options.Socket)).Append('\n');
        toml.Append('\n');
        toml.Append("[ttrpc]\n");
        toml.Append("  address = ").Append(Toml.Quote(options.Socket + ".ttrpc")).Append('\n');
        toml.Append('\n');
        toml.Append("[plugins.\"io.containerd.internal.v1.opt\"]\n");
        toml.Append("  path = ").Append(Toml.Quote(Path.Combine(options.Root, "opt"))).Append('\n');
        toml.Append('\n');
        toml.Append('[').Append(Cri).Append("]\n");
        toml.Append("  sandbox_image = ").Append(Toml.Quote(options.SandboxImage)).Append('\n');
        // Without CAP_SYS_RESOURCE, runc cannot give the sandbox its oom_score_adj of -998 and every sandbox fails with
        // "can't get final child's PID from pipe: EOF"; this clamps scores to containerd's own.
        toml.Append("  restrict_oom_score_adj = true\n");
        // Exec, attach and port-forward URLs point here; port 0 picks a free port on each start.
        toml.Append("  stream_server_address = \"127.0.0.1\"\n");
        toml.Append("  stream_server_port = \"0\"\n");
        // containerd 1.6 has no CDI and ignores the key; it keeps CDI off where a newer containerd reads this file.
        toml.Append("  enable_cdi = false\n");
        toml.Append('\n');
        toml.Append('[').Append(Cri).Append(".containerd]\n");
        toml.Append("  snapshotter = \"overlayfs\"\n");
        toml.Append("  default_runtime_name = \"runc\"\n");
        toml.Append('\n');
        // runc, not crun: crun refuses hybrid cgroups ("cgroups in hybrid mode not supported").
        toml.Append('[').Append(Cri).Append(".containerd.runtimes.runc]\n");
        toml.Append("  runtime_type = \"io.containerd.runc.v2\"\n");
        toml.Append('\n');
        toml.Append('[').Append(Cri).Append(".containerd.runtimes.runc.options]\n");
        toml.Append("  Root = ").Append(Toml.Quote(options.RuncRoot)).Append('\n');
        // The kubelet names cgroups for the cgroupfs driver (/kubepods/...); there is no systemd to ask.
        toml.Append("  SystemdCgroup = false\n");
        toml.Append('\n');
        toml.Append('[').Append(Cri).Append(".cni]\n");
        toml.Append("  bin_dir = ").Append(Toml.Quote(options.CniBinDir)).Append('\n');
        toml.Append("  conf_dir = ").Append(Toml.Quote(options.CniConfDir)).Append('\n');
        toml.Append('\n');
        toml.Append('[').Append(Cri).Append(".registry]\n");
        toml.Append("  config_path = ").Append(Toml.Quote(options.RegistryConfigPath)).Append('\n');
        return toml.ToString();
    }
}
