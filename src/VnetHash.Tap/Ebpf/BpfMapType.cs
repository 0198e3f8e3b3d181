namespace VnetHash.Tap.Ebpf;

/// <summary>Kernel map types this layer creates (<c>enum bpf_map_type</c>).</summary>
internal enum BpfMapType : uint
{
    /// <summary><c>BPF_MAP_TYPE_HASH</c>.</summary>
    Hash = 1,
    /// <summary><c>BPF_MAP_TYPE_ARRAY</c>: fixed-size values indexed by a u32 key.</summary>
    Array = 2,
    /// <summary><c>BPF_MAP_TYPE_PERCPU_ARRAY</c>.</summary>
    PerCpuArray = 6,
    /// <summary><c>BPF_MAP_TYPE_ARRAY_OF_MAPS</c>: values are other maps, set from user space by fd.</summary>
    ArrayOfMaps = 12,
}
