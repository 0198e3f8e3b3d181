namespace VnetHash.Tap.Ebpf;

/// <summary>
/// The live maps and programs of one <see cref="BpfCollectionSpec"/>. Maps are created first, then the programs
/// are patched with their fds and loaded; if anything fails, everything created so far is closed.
/// </summary>
internal sealed class BpfCollection : IDisposable
{
    private BpfCollection(Dictionary<string, BpfMap> maps, Dictionary<string, BpfProgram> programs)
    {
        Maps = maps;
        Programs = programs;
    }

    /// <summary>Maps by name.</summary>
    public IReadOnlyDictionary<string, BpfMap> Maps { get; }

    /// <summary>Programs by name.</summary>
    public IReadOnlyDictionary<string, BpfProgram> Programs { get; }

    /// <summary>Creates every map and loads every program of <paramref name="spec"/>.</summary>
    /// <exception cref="BpfVerifierException">A program was rejected; nothing stays open.</exception>
    /// <exception cref="BpfException">A map or program could not be created; nothing stays open.</exception>
    public static BpfCollection Load(BpfCollectionSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var maps = new Dictionary<string, BpfMap>(StringComparer.Ordinal);
        var programs = new Dictionary<string, BpfProgram>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, mapSpec) in spec.Maps)
            {
                maps.Add(name, BpfMap.Create(mapSpec));
            }

            foreach (var (name, programSpec) in spec.Programs)
            {
                programs.Add(name, BpfProgram.Load(programSpec, maps));
            }

            return new BpfCollection(maps, programs);
        }
        catch
        {
            foreach (BpfProgram program in programs.Values)
            {
                program.Dispose();
            }

            foreach (BpfMap map in maps.Values)
            {
                map.Dispose();
            }

            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (BpfProgram program in Programs.Values)
        {
            program.Dispose();
        }

        foreach (BpfMap map in Maps.Values)
        {
            map.Dispose();
        }
    }
}
