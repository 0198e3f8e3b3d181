using System.Text.Json;

namespace VnetHash.Tap.Tests.SeriesKernel;

/// <summary>
/// The kernel-native backend and the <c>linux-tun</c> profile against the series' own kernels (v5 and v12): each test
/// runs one scenario of tests/VnetHash.SeriesKernel.Runner inside User-Mode Linux (../shared/series-kernel/run) and
/// checks its JSON results. Facts: ../shared/reference/series-kernel-behaviour.md, kernel-series.md §2, §8.
/// </summary>
public sealed class SeriesKernelScenarioTests
{
    /// <summary>series-kernel-behaviour.md, "Telling the generations apart"; kernel-series.md §2.5.</summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void Probe_tells_the_generation_on_a_fresh_fd_and_on_an_attached_queue_and_auto_takes_the_kernel_only_when_it_serves_everything(string abi)
    {
        ScenarioRun run = SeriesKernelKit.Run("probe", abi);
        run.AssertAllPassed(atLeast: 16);
        Assert.Equal("Ebpf", run.Case("rsstap-auto-chooses-ebpf-for-virtio-spec-ex-types").GetProperty("backend").GetString());
        Assert.Equal("Kernel", run.Case("host-probe-auto").GetProperty("auto_backend").GetString());
        Assert.Equal(abi.ToUpperInvariant(), run.Case("fresh-fd").GetProperty("generation").GetString());
        Assert.Equal(abi.ToUpperInvariant(), run.Case("attached-queue").GetProperty("generation").GetString());
        Assert.True(run.Case("auto-served-0x3f-linux-tun-4-queues").GetProperty("kernel_native").GetBoolean());
        Assert.Contains("IPv6 _EX types requested; this kernel supports 0x3f", run.Case("rsstap-auto-leaves-kernel-for-ex-types").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("Kernel", run.Case("rsstap-auto-takes-kernel").GetProperty("backend").GetString());
    }

    /// <summary>kernel-series.md §8.1/§8.2 tun_vnet_hash rx: 3 queues, table {3, 4}, unclassified 5, the Microsoft key.</summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void Selftest_rx_cases_deliver_the_vectors_hash_report_and_queue_then_follow_a_live_reconfiguration_and_the_teardown(string abi)
    {
        ScenarioRun run = SeriesKernelKit.Run("selftest-rx", abi);
        run.AssertAllPassed(atLeast: 22);
        JsonElement tcpv6 = run.Case("tcpv6");
        Assert.Equal("c2b9f251", tcpv6.GetProperty("hash").GetString());
        Assert.Equal(1, tcpv6.GetProperty("queue").GetInt32());
        Assert.Equal("Toeplitz", tcpv6.GetProperty("source").GetString());
    }

    /// <summary>series-kernel-behaviour.md, "Report without RSS" and "One queue": neither value may pass for a Toeplitz hash.</summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void Report_only_values_are_labelled_kernel_queue_index_and_one_queue_devices_report_nothing(string abi)
    {
        ScenarioRun run = SeriesKernelKit.Run("modes", abi);
        run.AssertAllPassed(atLeast: 15);
        Assert.Equal("KernelQueueIndex", run.Case("report-only-tcpv4").GetProperty("source").GetString());
    }

    /// <summary>kernel-series.md §2.6 and §8 tun_deleted: EBADFD after the delete; a detached queue still accepts the set calls.</summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void Hash_ioctls_after_the_device_is_deleted_fail_as_device_gone_with_ebadfd(string abi)
    {
        ScenarioRun run = SeriesKernelKit.Run("deleted", abi);
        run.AssertAllPassed(atLeast: 7);
        JsonElement update = run.Case("update-after-delete");
        Assert.Equal("DeviceGone", update.GetProperty("error").GetString());
        Assert.Equal(77, update.GetProperty("errno").GetInt32());
    }

    /// <summary>kernel-series.md §8.1 FIXTURE(tun): the five detach/delete/close/reattach orderings with hashing configured.</summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void Selftest_orderings_keep_their_answers_with_hashing_configured(string abi)
    {
        ScenarioRun run = SeriesKernelKit.Run("orderings", abi);
        run.AssertAllPassed(atLeast: 22);
        Assert.Equal(7, run.Case("reattach_close_delete-reattach").GetProperty("frames_agreeing").GetInt32());
    }

    /// <summary>
    /// design.md "The linux-tun profile": the kernel's queue, hash and report equal the core's linux-tun answer on
    /// thousands of mixed frames (tags, extension headers with AH, tunnels, PPPoE, cut-short transports).
    /// </summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void Kernel_delivers_the_linux_tun_answer_for_every_mixed_frame(string abi)
    {
        ScenarioRun run = SeriesKernelKit.Run("agreement", abi);
        run.AssertAllPassed(atLeast: 1);
        JsonElement summary = run.Case("kernel-native-vs-linux-tun");
        int frames = summary.GetProperty("frames").GetInt32();
        Assert.True(frames >= 3000, $"{frames} frames");
        Assert.Equal(frames, summary.GetProperty("agreed").GetInt32());
        Assert.True(summary.GetProperty("tagged").GetInt32() > 0, "no tagged frame was sent");
        Assert.True(summary.GetProperty("linux_tun_differs_from_virtio_spec").GetInt32() > 0, "no frame exercised a linux-tun divergence");
    }

    /// <summary>
    /// Issue "linux-tun profile = the series kernel": the same mixed frames steered by our eBPF program with the
    /// <c>linux-tun</c> profile inside the series kernel land on the queues the kernel's own RSS chose.
    /// </summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void Ebpf_linux_tun_program_steers_every_mixed_frame_as_the_kernel_does(string abi)
    {
        ScenarioRun run = SeriesKernelKit.Run("agreement-ebpf", abi);
        run.AssertAllPassed(atLeast: 1);
        JsonElement summary = run.Case("ebpf-linux-tun-vs-kernel");
        int frames = summary.GetProperty("frames").GetInt32();
        Assert.True(frames >= 3000, $"{frames} frames");
        Assert.Equal(frames, summary.GetProperty("agreed").GetInt32());
        Assert.Equal(0, summary.GetProperty("lost").GetInt32());
    }

    /// <summary>design.md "Kernel-native backend": RssTap's Auto takes the kernel and its readers pass the kernel's header on untouched.</summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void Rss_tap_auto_takes_the_kernel_and_hands_over_its_report_untouched(string abi)
    {
        ScenarioRun run = SeriesKernelKit.Run("rsstap", abi);
        run.AssertAllPassed(atLeast: 9);
        Assert.Equal("Kernel", run.Case("auto-selection").GetProperty("backend").GetString());
    }

    /// <summary>README "vnethash probe": inside the series kernel the tool says Auto takes the kernel-native backend of that generation.</summary>
    [SeriesKernelTheory]
    [InlineData("v5")]
    [InlineData("v12")]
    public void Tool_probe_json_says_auto_takes_the_kernel_native_backend(string abi)
    {
        ScenarioRun run = SeriesKernelKit.Run("cli-probe", abi);
        run.AssertAllPassed(atLeast: 1);
        JsonElement probe = run.Case("vnethash-probe-json");
        Assert.Equal("kernel", probe.GetProperty("auto_backend").GetString());
        Assert.True(probe.GetProperty("kernel_native").GetBoolean());
        Assert.Equal(abi, probe.GetProperty("kernel_native_abi").GetString());

        // v5's capability flags are REPORT | RSS; v12 has no flags, so kernel_hash_flags is null there, not 0.
        JsonElement flags = probe.GetProperty("kernel_hash_flags");
        if (abi == "v5")
        {
            Assert.Equal(3, flags.GetInt32());
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, flags.ValueKind);
        }
    }

    /// <summary>kernel-series.md §8.1 tap.c: the v12 series also serves macvtap (the v5 kernel has no macvtap hashing, so v5 is not a case).</summary>
    [SeriesKernelTheory]
    [InlineData("v12")]
    public void Macvtap_rx_cases_deliver_the_vectors_hash_report_and_queue(string abi)
    {
        ScenarioRun run = SeriesKernelKit.Run("macvtap", abi);
        run.AssertAllPassed(atLeast: 8);
    }
}
