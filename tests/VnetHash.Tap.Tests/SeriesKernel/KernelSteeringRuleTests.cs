using System.Buffers.Binary;
using VnetHash.Hashing;
using VnetHash.Rss;
using VnetHash.Tap.Probing;
using VnetHash.Tap.Steering;

namespace VnetHash.Tap.Tests.SeriesKernel;

/// <summary>
/// The kernel-native backend's rules that need no kernel: when the series kernel may serve a configuration
/// (design.md "Kernel-native backend") and how its header values are labelled.
/// </summary>
public sealed class KernelSteeringRuleTests
{
    private static readonly KernelHashSupport V12 = new(KernelHashGeneration.V12, HashTypes.AllNonEx, 0, "TUNGETVNETHASHTYPES answered types 0x3f");
    private static readonly KernelHashSupport V5 = new(KernelHashGeneration.V5, HashTypes.AllNonEx, 0x3, "TUNGETVNETHASHCAP answered flags 0x3 types 0x3f");
    private static readonly KernelHashSupport Mainline = new(KernelHashGeneration.None, HashTypes.None, 0, "TUNGETVNETHASHTYPES answered EINVAL and TUNGETVNETHASHCAP EINVAL");
    private static readonly RssConfiguration Served = RssConfiguration.RoundRobin(4, HashTypes.AllNonEx, ToeplitzKey.MicrosoftKey, 128, HashProfile.LinuxTun);

    [Fact]
    public void Both_generations_serve_the_six_types_with_linux_tun_on_several_queues()
    {
        Assert.True(KernelSteering.Evaluate(V12, Served, 4).CanServe);
        Assert.True(KernelSteering.Evaluate(V5, Served, 2).CanServe);
    }

    [Theory]
    [InlineData(0x1FF, "IPv6 _EX types requested; this kernel supports 0x3f")]
    [InlineData(0x40, "IPv6 _EX types requested; this kernel supports 0x3f")]
    public void Ex_types_are_beyond_the_kernels_capability_kernel_series_0(int types, string reason)
    {
        KernelSteeringVerdict verdict = KernelSteering.Evaluate(V12, Served.WithTypes((HashTypes)types), 4);
        Assert.False(verdict.CanServe);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
    }

    /// <summary>kernel-series.md §0 quirk 1: without bits 0–2 the kernel reads 4 key bytes.</summary>
    [Theory]
    [InlineData(0x08)]
    [InlineData(0x18)]
    [InlineData(0x38)]
    [InlineData(0x30)]
    public void Types_without_an_ipv4_family_bit_would_trigger_the_key_length_bug_and_are_refused(int types)
    {
        KernelSteeringVerdict verdict = KernelSteering.Evaluate(V5, Served.WithTypes((HashTypes)types), 4);
        Assert.False(verdict.CanServe);
        Assert.Contains("key-length bug", verdict.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData(0x09)]
    [InlineData(0x3C)]
    [InlineData(0x00)]
    public void Any_ipv4_family_bit_or_no_type_at_all_keeps_the_whole_key(int types) =>
        Assert.True(KernelSteering.Evaluate(V12, Served.WithTypes((HashTypes)types), 4).CanServe);

    [Fact]
    public void Virtio_spec_profile_symmetric_modes_and_one_queue_are_not_the_kernels_answers()
    {
        Assert.Contains("profile VirtioSpec", KernelSteering.Evaluate(V12, Served.WithProfile(HashProfile.VirtioSpec), 4).Reason, StringComparison.Ordinal);
        Assert.Contains("symmetric mode Xor", KernelSteering.Evaluate(V12, Served.WithSymmetric(SymmetricMode.Xor), 4).Reason, StringComparison.Ordinal);
        Assert.Contains("never runs queue selection", KernelSteering.Evaluate(V12, Served, 1).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kernel_without_the_series_or_a_v5_kernel_without_both_flags_cannot_serve()
    {
        Assert.Contains("TUNGETVNETHASHTYPES answered EINVAL", KernelSteering.Evaluate(Mainline, Served, 4).Reason, StringComparison.Ordinal);
        Assert.Contains("REPORT|RSS", KernelSteering.Evaluate(V5 with { Flags = 0x1 }, Served, 4).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_missing_piece_is_named_in_one_reason()
    {
        RssConfiguration wrong = RssConfiguration.RoundRobin(4, HashTypes.IPv6 | HashTypes.IPv6Ex, ToeplitzKey.MicrosoftKey, 128, HashProfile.VirtioSpec);
        string reason = KernelSteering.Evaluate(V12, wrong, 1).Reason;
        Assert.Contains("_EX", reason, StringComparison.Ordinal);
        Assert.Contains("profile", reason, StringComparison.Ordinal);
        Assert.Contains("key-length bug", reason, StringComparison.Ordinal);
        Assert.Contains("queue selection", reason, StringComparison.Ordinal);
    }

    /// <summary>kernel-series.md §0: hash_value LE32 at 12, hash_report LE16 at 16; series-kernel-behaviour.md "Report without RSS".</summary>
    [Theory]
    [InlineData(KernelSteeringMode.Rss, 5, 0xc2b9f251u, HashSource.Toeplitz)]
    [InlineData(KernelSteeringMode.ReportOnly, 5, 2u, HashSource.KernelQueueIndex)]
    [InlineData(KernelSteeringMode.Rss, 0, 0u, HashSource.None)]
    [InlineData(KernelSteeringMode.ReportOnly, 0, 1u, HashSource.None)]
    public void Kernel_values_are_labelled_so_only_rss_reports_pass_for_toeplitz_hashes(KernelSteeringMode mode, int report, uint value, HashSource source)
    {
        byte[] header = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), value);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(16), (ushort)report);
        KernelReport read = KernelSteering.ReadReport(header, mode);
        Assert.Equal(new HashResult(value, (HashReport)report), read.Hash);
        Assert.Equal(source, read.Source);
        Assert.Equal(source == HashSource.Toeplitz ? value : null, read.ToeplitzHash);
    }

    [Fact]
    public void A_header_shorter_than_20_bytes_carries_no_report() =>
        Assert.Equal(default, KernelSteering.ReadReport(new byte[12], KernelSteeringMode.Rss));
}
