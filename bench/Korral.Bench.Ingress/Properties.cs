// nginx, /proc and file modes: the benchmark runs on Linux only, as the ingress controller does.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
