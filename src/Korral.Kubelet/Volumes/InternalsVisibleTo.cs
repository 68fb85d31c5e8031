using System.Runtime.CompilerServices;

// The atomic writer, payload builders and host helpers are tested directly.
[assembly: InternalsVisibleTo("Korral.Kubelet.Tests")]
