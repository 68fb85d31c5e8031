using Korral.Api.Models;

namespace Korral.Scheduler.Framework;

/// <summary>
/// A resource vector in integers, as the scheduler adds and compares them: CPU in millicores, memory and
/// ephemeral storage in bytes, pod slots, and extended resources (<c>nvidia.com/gpu</c>, <c>hugepages-2Mi</c>) by name.
/// Mutable; <see cref="NodeInfo"/> owns its instances and <see cref="Clone"/>s them for snapshots.
/// </summary>
public sealed class Resource
{
    public long MilliCpu { get; set; }

    public long Memory { get; set; }

    public long EphemeralStorage { get; set; }

    /// <summary>Pod slots (the <c>pods</c> resource); only meaningful for allocatable.</summary>
    public long AllowedPodNumber { get; set; }

    /// <summary>Extended and hugepages resources; null until one is set.</summary>
    public Dictionary<string, long>? Scalar { get; private set; }

    public bool IsZero => MilliCpu == 0 && Memory == 0 && EphemeralStorage == 0 && (Scalar is null || Scalar.Values.All(v => v == 0));

    public static Resource From(IDictionary<string, Quantity>? list)
    {
        var r = new Resource();
        r.Add(list);
        return r;
    }

    public long ScalarValue(string name) => Scalar is not null && Scalar.TryGetValue(name, out var v) ? v : 0;

    public void SetScalar(string name, long value) => (Scalar ??= new Dictionary<string, long>(StringComparer.Ordinal))[name] = value;

    /// <summary>Adds a ResourceList (requests, overhead, allocatable).</summary>
    public void Add(IDictionary<string, Quantity>? list)
    {
        if (list is null)
        {
            return;
        }

        foreach (var (name, quantity) in list)
        {
            AddOne(name, quantity, 1);
        }
    }

    public void Add(Resource other) => Combine(other, 1);

    public void Subtract(Resource other) => Combine(other, -1);

    /// <summary>Each dimension becomes the larger of this and <paramref name="other"/> (init containers).</summary>
    public void SetMax(Resource other)
    {
        MilliCpu = Math.Max(MilliCpu, other.MilliCpu);
        Memory = Math.Max(Memory, other.Memory);
        EphemeralStorage = Math.Max(EphemeralStorage, other.EphemeralStorage);
        AllowedPodNumber = Math.Max(AllowedPodNumber, other.AllowedPodNumber);
        if (other.Scalar is not null)
        {
            foreach (var (name, value) in other.Scalar)
            {
                SetScalar(name, Math.Max(ScalarValue(name), value));
            }
        }
    }

    public Resource Clone()
    {
        var copy = new Resource { MilliCpu = MilliCpu, Memory = Memory, EphemeralStorage = EphemeralStorage, AllowedPodNumber = AllowedPodNumber };
        if (Scalar is not null)
        {
            copy.Scalar = new Dictionary<string, long>(Scalar, StringComparer.Ordinal);
        }

        return copy;
    }

    /// <summary>Resources the scheduler accounts as scalar: everything but cpu, memory, ephemeral-storage and pods.</summary>
    public static bool IsScalarName(string name) => name is not ("cpu" or "memory" or "ephemeral-storage" or "pods");

    private void AddOne(string name, Quantity quantity, int sign)
    {
        switch (name)
        {
            case "cpu":
                MilliCpu += sign * quantity.MilliValue();
                break;
            case "memory":
                Memory += sign * quantity.Value();
                break;
            case "ephemeral-storage":
                EphemeralStorage += sign * quantity.Value();
                break;
            case "pods":
                AllowedPodNumber += sign * quantity.Value();
                break;
            default:
                SetScalar(name, ScalarValue(name) + (sign * quantity.Value()));
                break;
        }
    }

    private void Combine(Resource other, int sign)
    {
        MilliCpu += sign * other.MilliCpu;
        Memory += sign * other.Memory;
        EphemeralStorage += sign * other.EphemeralStorage;
        AllowedPodNumber += sign * other.AllowedPodNumber;
        if (other.Scalar is not null)
        {
            foreach (var (name, value) in other.Scalar)
            {
                SetScalar(name, ScalarValue(name) + (sign * value));
            }
        }
    }

    public override string ToString() => $"cpu={MilliCpu}m memory={Memory} ephemeral-storage={EphemeralStorage} pods={AllowedPodNumber}";
}
