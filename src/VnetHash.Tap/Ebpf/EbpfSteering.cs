using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Packets;
using VnetHash.Rss;
using VnetHash.Tap.Handles;

namespace VnetHash.Tap.Ebpf;

/// <summary>
/// VnetHash's steering program, loaded and configured: virtio-net RSS decided in the kernel on kernels without
/// the hashing series. Attach <see cref="ProgramHandle"/> to a multi-queue TAP with <c>TUNSETSTEERINGEBPF</c>.
/// </summary>
/// <remarks>
/// <para>
/// Reconfiguration is atomic. The configuration lives in one of two inner maps; the program reaches the active
/// one through a single-entry map of maps. <see cref="Update"/> writes the inactive inner map, then points the
/// map of maps at it. The kernel returns from that update only after an RCU grace period, so afterwards no
/// packet still reads the old inner map, and the next update may overwrite it. Each packet looks up the inner
/// map once and so sees either the old configuration or the new one, never a mix.
/// </para>
/// <para>Needs root or CAP_BPF. Dispose to release the maps and the program (an attached program stays alive
/// while the device holds it).</para>
/// </remarks>
public sealed class EbpfSteering : IDisposable
{
    /// <summary>The virtio-spec profile's program: its name in the object file and in the kernel.</summary>
    public const string ProgramName = "vnethash_steering";

    /// <summary>
    /// The linux-tun profile's program (the series kernel's flow-dissector rules): its name in the object file and
    /// in the kernel.
    /// </summary>
    public const string LinuxTunProgramName = "vnethash_linux_tun";

    internal const string TemplateMapName = "config_template";
    internal const string SlotMapName = "config_slot";
    internal const string ResultMapName = "last_result";
    internal const string ProgramsMapName = "steering_programs";
    internal const string ObjectResourceName = "VnetHash.Tap.Ebpf.steering.bpf.o";

    private readonly BpfCollection _collection;
    private readonly BpfMap[] _configurations;
    private readonly byte[] _image = new byte[SteeringConfigurationImage.Size];
    private readonly bool _recordResults;
    private readonly FrameKind _frameKind;
    private readonly HashProfile _profile;
    private readonly Lock _updateLock = new();
    private int _active;
    private RssConfiguration _configuration;

    private EbpfSteering(BpfCollection collection, BpfMap[] configurations, RssConfiguration configuration, EbpfSteeringOptions options)
    {
        _frameKind = options.FrameKind;
        _profile = configuration.Profile;
        _collection = collection;
        _configurations = configurations;
        _configuration = configuration;
        _recordResults = options.RecordResults;
    }

    /// <summary>The loaded program: <see cref="ProgramName"/> or <see cref="LinuxTunProgramName"/>, by the profile given to <see cref="Load"/>.</summary>
    internal BpfProgram Program => _collection.Programs[ProgramNameFor(_profile)];

    /// <summary>The program's descriptor, the argument of <c>TUNSETSTEERINGEBPF</c>.</summary>
    public FileDescriptorHandle ProgramHandle => Program.FileDescriptor;

    /// <summary>The configuration packets are steered with now.</summary>
    public RssConfiguration Configuration => Volatile.Read(ref _configuration);

    /// <summary>Reads the steering object embedded in this assembly.</summary>
    internal static BpfCollectionSpec ReadObject()
    {
        using Stream stream = typeof(EbpfSteering).Assembly.GetManifestResourceStream(ObjectResourceName)
            ?? throw new BpfObjectFormatException($"The assembly lacks its embedded steering object '{ObjectResourceName}'.");
        byte[] bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return BpfCollectionSpec.FromElf(bytes);
    }

    /// <summary>
    /// Creates the maps, loads the program of <paramref name="configuration"/>'s profile and applies
    /// <paramref name="configuration"/>. The profile stays fixed for the life of this instance.
    /// </summary>
    /// <exception cref="BpfVerifierException">The kernel's verifier rejected the program.</exception>
    /// <exception cref="BpfException">bpf(2) failed (EPERM: not root and no CAP_BPF).</exception>
    public static EbpfSteering Load(RssConfiguration configuration, EbpfSteeringOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        options ??= new EbpfSteeringOptions();
        BpfCollectionSpec spec = ReadObject();
        string programName = ProgramNameFor(configuration.Profile);
        if (!spec.Programs.ContainsKey(programName))
        {
            throw new BpfObjectFormatException($"The steering object lacks the program '{programName}'.");
        }

        // Only the profile's program is verified and loaded; the other one would cost load time for nothing.
        foreach (string name in spec.Programs.Keys.Where(name => name != programName).ToArray())
        {
            spec.Programs.Remove(name);
        }

        if (!spec.Maps.Remove(TemplateMapName, out BpfMapSpec? template) || !spec.Maps.TryGetValue(SlotMapName, out BpfMapSpec? slot))
        {
            throw new BpfObjectFormatException($"The steering object lacks the maps '{TemplateMapName}' and '{SlotMapName}'.");
        }

        if (template.ValueSize != SteeringConfigurationImage.Size)
        {
            throw new BpfObjectFormatException($"The steering object's configuration is {template.ValueSize} bytes; this assembly writes {SteeringConfigurationImage.Size}.");
        }

        // The virtio-spec program tail-calls itself for a tunnel's inner packet; the linux-tun program has no use for the array.
        if (configuration.Profile != HashProfile.VirtioSpec)
        {
            spec.Maps.Remove(ProgramsMapName);
        }

        slot.InnerMap = template;
        var configurations = new BpfMap[2];
        BpfCollection? collection = null;
        try
        {
            configurations[0] = BpfMap.Create(Renamed(template, "vnethash_cfg_a"));
            configurations[1] = BpfMap.Create(Renamed(template, "vnethash_cfg_b"));
            collection = BpfCollection.Load(spec);
            if (configuration.Profile == HashProfile.VirtioSpec)
            {
                collection.Maps[ProgramsMapName].SetProgram(0, collection.Programs[programName]);
            }

            var steering = new EbpfSteering(collection, configurations, configuration, options);
            steering.Write(configurations[0], configuration);
            collection.Maps[SlotMapName].SetInnerMap(0, configurations[0]);
            return steering;
        }
        catch
        {
            collection?.Dispose();
            foreach (BpfMap? map in configurations)
            {
                map?.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Replaces the configuration atomically while traffic flows: when this returns, every packet is steered with
    /// <paramref name="configuration"/>, and no packet ever saw a mix of the two.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The configuration's profile is not the one the program was loaded for (the attached program embodies the
    /// profile's rules; load another instance for another profile).
    /// </exception>
    public void Update(RssConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Profile != _profile)
        {
            throw new ArgumentException($"This steering program was loaded for the {_profile} profile and cannot steer with {configuration.Profile}; load another EbpfSteering for it.", nameof(configuration));
        }

        lock (_updateLock)
        {
            int next = 1 - _active;
            Write(_configurations[next], configuration);
            _collection.Maps[SlotMapName].SetInnerMap(0, _configurations[next]);
            _active = next;
            Volatile.Write(ref _configuration, configuration);
        }
    }

    /// <summary>
    /// Runs the loaded program in the kernel on <paramref name="frame"/> as a TAP would, <paramref name="repetitions"/>
    /// times, without a device (<c>BPF_PROG_TEST_RUN</c>): for checking its decision and timing it.
    /// </summary>
    /// <param name="frame">An Ethernet frame, or an IP packet for a program loaded for IP frames.</param>
    /// <param name="repetitions">How many times the kernel runs the program.</param>
    /// <param name="averageNanoseconds">The kernel's average time per run.</param>
    /// <returns>The program's return value: the queue, before the kernel's modulo by the number of queues.</returns>
    public uint TestRun(ReadOnlySpan<byte> frame, int repetitions, out uint averageNanoseconds)
    {
        BpfTestRunResult run = Program.TestRunFrame(frame, repetitions);
        averageNanoseconds = run.DurationNanoseconds;
        return run.ReturnValue;
    }

    /// <summary>The last decision the program recorded, or null when recording is off or nothing ran yet.</summary>
    public EbpfSteeringResult? ReadLastResult()
    {
        if (!_recordResults)
        {
            return null;
        }

        Span<byte> value = stackalloc byte[16];
        if (!_collection.Maps[ResultMapName].Lookup(0, value))
        {
            return null;
        }

        uint packets = BinaryPrimitives.ReadUInt32LittleEndian(value[12..]);
        return packets == 0
            ? null
            : new EbpfSteeringResult(
                BinaryPrimitives.ReadUInt32LittleEndian(value),
                (HashReport)BinaryPrimitives.ReadUInt32LittleEndian(value[4..]),
                BinaryPrimitives.ReadUInt32LittleEndian(value[8..]),
                packets);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _collection.Dispose();
        foreach (BpfMap map in _configurations)
        {
            map.Dispose();
        }
    }

    private static BpfMapSpec Renamed(BpfMapSpec template, string name)
    {
        BpfMapSpec copy = template.Copy();
        copy.Name = name;
        return copy;
    }

    private static string ProgramNameFor(HashProfile profile) => profile switch
    {
        HashProfile.VirtioSpec => ProgramName,
        HashProfile.LinuxTun => LinuxTunProgramName,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "The steering object has a program for the virtio-spec and linux-tun profiles only."),
    };

    private void Write(BpfMap map, RssConfiguration configuration)
    {
        SteeringConfigurationImage.Write(configuration, _frameKind, _recordResults, _image);
        map.Update(0, _image);
    }
}
