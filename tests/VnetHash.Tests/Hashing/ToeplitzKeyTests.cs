using System.Runtime.InteropServices;
using VnetHash.Hashing;
using Xunit;

namespace VnetHash.Tests.Hashing;

/// <summary>What holds for <see cref="ToeplitzKey"/> whatever the path: vector file, key checks, path choice.</summary>
public sealed class ToeplitzKeyTests
{
    [Fact]
    public void Vector_file_holds_the_16_microsoft_rows_and_7_tun_selftest_rows()
    {
        // ../shared/vectors/README.md: 16 Microsoft rows, 7 tun rows of which "unclassified" has no input and hash 0.
        Assert.Equal(23, ToeplitzVector.All.Count);
        Assert.Equal(16, ToeplitzVector.All.Count(v => v.Name.Contains("-ms-", StringComparison.Ordinal)));
        ToeplitzVector unclassified = Assert.Single(ToeplitzVector.All, v => v.Input is null);
        Assert.Equal(0u, unclassified.ExpectedHash);
        Assert.All(ToeplitzVector.All, v => Assert.Equal(ToeplitzKey.MicrosoftKey.ToArray(), v.Key));
    }

    [Theory]
    [MemberData(nameof(ToeplitzVector.HashedNames), MemberType = typeof(ToeplitzVector))]
    public void Bitwise_reference_reproduces_every_public_vector(string name)
    {
        ToeplitzVector vector = ToeplitzVector.Named(name);

        Assert.Equal(vector.ExpectedHash, ToeplitzReference.Hash(vector.Key, vector.Input));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void A_key_of_four_bytes_or_fewer_is_rejected(int length)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new ToeplitzKey(new byte[length]));

        Assert.Contains($"got {length}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_takes_a_supported_path_for_every_operation()
    {
        var key = new ToeplitzKey(ToeplitzKey.MicrosoftKey);

        Assert.Equal(ToeplitzImplementation.Auto, key.Implementation);
        Assert.All(Enum.GetValues<ToeplitzOperation>(), operation => Assert.Contains(key.ImplementationOf(operation), ToeplitzKey.AvailableImplementations));
    }

    [Fact]
    public void A_forced_path_is_taken_by_every_operation()
    {
        foreach (ToeplitzImplementation implementation in ToeplitzKey.AvailableImplementations)
        {
            var key = new ToeplitzKey(ToeplitzKey.MicrosoftKey, implementation);

            Assert.Equal(implementation, key.Implementation);
            Assert.All(Enum.GetValues<ToeplitzOperation>(), operation => Assert.Equal(implementation, key.ImplementationOf(operation)));
        }
    }

    [Fact]
    public void An_undefined_operation_is_rejected()
    {
        var key = new ToeplitzKey(ToeplitzKey.MicrosoftKey, ToeplitzImplementation.Table);

        Assert.Throws<ArgumentOutOfRangeException>(() => key.ImplementationOf((ToeplitzOperation)99));
    }

    [Fact]
    public void Available_paths_are_exactly_the_supported_ones_and_always_include_the_table()
    {
        ToeplitzImplementation[] expected = [.. Enum.GetValues<ToeplitzImplementation>()
            .Where(i => i != ToeplitzImplementation.Auto && ToeplitzKey.IsSupported(i))];

        Assert.Equal(expected, ToeplitzKey.AvailableImplementations);
        Assert.Contains(ToeplitzImplementation.Table, ToeplitzKey.AvailableImplementations);
    }

    [SkippableFact]
    public void Forcing_a_path_the_cpu_lacks_throws_a_platform_error_naming_it()
    {
        ToeplitzImplementation[] missing = [.. Enum.GetValues<ToeplitzImplementation>().Where(i => !ToeplitzKey.IsSupported(i))];
        Skip.If(missing.Length == 0, "This CPU supports every Toeplitz path, so none can be forced while unsupported.");

        foreach (ToeplitzImplementation implementation in missing)
        {
            PlatformNotSupportedException error = Assert.Throws<PlatformNotSupportedException>(
                () => new ToeplitzKey(ToeplitzKey.MicrosoftKey, implementation));
            Assert.Contains(implementation.ToString(), error.Message, StringComparison.Ordinal);
            Assert.Contains(ToeplitzKey.RequiredInstructions(implementation), error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The runtime never offers instructions the CPU lacks, so every path it supports is one whose instructions CPUID
    /// reports; a path it does not support is explained by the CPU when CPUID lacks them too, by the runtime otherwise.
    /// </summary>
    [Fact]
    public void Cpuid_reports_what_the_runtime_supports_and_explains_what_it_does_not()
    {
        foreach (ToeplitzImplementation implementation in Enum.GetValues<ToeplitzImplementation>())
        {
            if (ToeplitzKey.IsSupported(implementation))
            {
                Assert.True(ToeplitzKey.CpuReports(implementation), $"The runtime supports {implementation}, but CPUID does not report its instructions.");
                continue;
            }

            string why = ToeplitzKey.WhyUnsupported(implementation);
            Assert.StartsWith($"needs {ToeplitzKey.RequiredInstructions(implementation)}", why, StringComparison.Ordinal);
            string expected = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 && implementation == ToeplitzImplementation.CarrylessMultiply
                ? "which the runtime does not offer here: this CPU lacks it, or a DOTNET_EnableArm64Aes setting switched it off"
                : ToeplitzKey.CpuReports(implementation) ? "the runtime has them switched off" : "which this CPU does not report";
            Assert.Contains(expected, why, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_undefined_path_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new ToeplitzKey(ToeplitzKey.MicrosoftKey, (ToeplitzImplementation)99));
    }

    [Fact]
    public void Every_path_has_a_test_class_deriving_from_the_driver()
    {
        // Wiring guard: a new path without a driver subclass would silently go untested.
        ToeplitzImplementation[] tested = [.. typeof(ToeplitzKeyTestDriver).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ToeplitzKeyTestDriver)) && !t.IsAbstract)
            .Select(t => (ToeplitzImplementation)t.GetProperty("Implementation", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!
                .GetValue(Activator.CreateInstance(t))!)
            .Order()];

        Assert.Equal(Enum.GetValues<ToeplitzImplementation>(), tested);
    }
}
