using System.Numerics;
using System.Security.Cryptography;
using VnetHash.Hashing;

namespace VnetHash.Rss;

/// <summary>Where a tuple field lies in the Toeplitz input: its first bit and its width, in bits.</summary>
/// <param name="Offset">The input bit of the field's most significant bit (0 = the first bit of the source address).</param>
/// <param name="Length">The field's width in bits.</param>
internal readonly record struct InputBits(int Offset, int Length)
{
    /// <summary>Where <paramref name="field"/> lies in the input of a report type's tuple (address ‖ address ‖ ports).</summary>
    /// <exception cref="ArgumentException">The report hashes no such field (no hash, or ports of an address-only type).</exception>
    public static InputBits Of(HashReport report, TupleField field)
    {
        int addressBits = 8 * HashInput.Length(report) switch
        {
            HashInput.IPv4Length or HashInput.IPv4WithPortsLength => 4,
            HashInput.IPv6Length or HashInput.IPv6WithPortsLength => 16,
            _ => throw new ArgumentException($"the report type {report} hashes no tuple", nameof(report)),
        };
        bool ports = HashInput.Length(report) is HashInput.IPv4WithPortsLength or HashInput.IPv6WithPortsLength;
        return field switch
        {
            TupleField.Source => new InputBits(0, addressBits),
            TupleField.Destination => new InputBits(addressBits, addressBits),
            TupleField.SourcePort when ports => new InputBits(2 * addressBits, 16),
            TupleField.DestinationPort when ports => new InputBits(2 * addressBits + 16, 16),
            _ => throw new ArgumentException($"the report type {report} hashes no ports", nameof(field)),
        };
    }
}

/// <summary>
/// Toeplitz keys made for a purpose: keys under which chosen fields spread evenly over an indirection table (the
/// idea of DPDK's <c>rte_thash_gen_key</c>), and symmetric keys under which both directions of a flow hash alike.
/// </summary>
/// <remarks>
/// <para>Input bit t contributes the 32-bit key window that starts at key bit t, so the low m bits of its
/// contribution (what picks one of 2^m table entries) are key bits t+32−m … t+31. If the lowest m bits of a field
/// move the table index through m linearly independent vectors, every run of 2^m consecutive values aligned on
/// 2^m visits each table entry exactly once, and any range of N values puts N/2^m values, give or take two, on each
/// entry. The generator draws keys at random and keeps the first whose windows pass that rank test, which is
/// checked exactly, not hoped for.</para>
/// <para>A key is symmetric for a pair of fields of width w at input bits [p, p+w) and [p+w, p+2w) when their
/// windows agree, that is key bit j equals key bit j+w for j from p to p+w+30: swapping the fields then swaps equal
/// contributions. The well-known <c>6d5a</c>-repeated key meets it for every field at once (period 16); the
/// generator ties only the key bits the enabled types need and draws the rest freely.</para>
/// </remarks>
public static class RssKeyGenerator
{
    private const int MaxAttempts = 100_000;
    private const int WindowBits = 32;

    /// <summary>
    /// A key of <paramref name="keyLength"/> bytes under which each of <paramref name="fields"/> spreads evenly over
    /// a table of <paramref name="tableLength"/> entries, for every type of <paramref name="types"/> that hashes it;
    /// when <paramref name="symmetric"/>, both directions of a flow also hash alike under every type of
    /// <paramref name="types"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The table length is not a power of two, no type of <paramref name="types"/> hashes the fields, the key is too short for them, or no such key exists.</exception>
    public static byte[] Spreading(int keyLength, int tableLength, HashTypes types, IReadOnlyCollection<TupleField> fields, bool symmetric = false, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var bits = new List<InputBits>();
        foreach (TupleField field in fields)
        {
            for (var report = HashReport.IPv4; report <= HashReport.UdpV6Ex; report++)
            {
                bool hashesPorts = HashInput.Length(report) is HashInput.IPv4WithPortsLength or HashInput.IPv6WithPortsLength;
                bool isPort = field is TupleField.SourcePort or TupleField.DestinationPort;
                if ((types & HashInput.TypeOf(report)) == 0 || (isPort && !hashesPorts))
                {
                    continue;
                }

                InputBits where = InputBits.Of(report, field);
                if (!bits.Contains(where))
                {
                    bits.Add(where);
                }
            }
        }

        if (bits.Count == 0)
        {
            throw new ArgumentException($"no enabled hash type hashes {string.Join(", ", fields)}", nameof(fields));
        }

        return Spreading(keyLength, tableLength, bits, symmetric ? types : HashTypes.None, random);
    }

    /// <summary>
    /// A key of <paramref name="keyLength"/> bytes under which each of <paramref name="fields"/> spreads evenly over
    /// a table of <paramref name="tableLength"/> entries; symmetric for <paramref name="symmetricTypes"/> as well when
    /// any are given.
    /// </summary>
    /// <exception cref="ArgumentException">The table length is not a power of two, a field is narrower than the table index or ends beyond the key, or no such key exists.</exception>
    internal static byte[] Spreading(int keyLength, int tableLength, IReadOnlyList<InputBits> fields, HashTypes symmetricTypes = HashTypes.None, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (tableLength < 1 || tableLength > RssConfiguration.MaxIndirectionTableLength || !BitOperations.IsPow2(tableLength))
        {
            throw new ArgumentException($"the table length must be a power of two from 1 to {RssConfiguration.MaxIndirectionTableLength}, got {tableLength}", nameof(tableLength));
        }

        int indexBits = BitOperations.Log2((uint)tableLength);
        foreach (InputBits field in fields)
        {
            if (field.Offset < 0 || field.Length < 1)
            {
                throw new ArgumentException($"the field at bit {field.Offset} of {field.Length} bits is not a field", nameof(fields));
            }

            if (field.Length < indexBits)
            {
                throw new ArgumentException($"a field of {field.Length} bits cannot reach all {tableLength} table entries (it needs {indexBits} bits)", nameof(fields));
            }

            if (field.Offset + field.Length + WindowBits > 8 * keyLength)
            {
                throw new ArgumentException($"the field at input bits {field.Offset}..{field.Offset + field.Length - 1} needs a key of {(field.Offset + field.Length + WindowBits + 7) / 8} bytes, got {keyLength}", nameof(keyLength));
            }
        }

        int[] classes = SymmetryClasses(keyLength, symmetricTypes);
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            byte[] key = Draw(classes, keyLength, random);
            if (!IsZero(key) && fields.All(f => SpreadRank(key, f, indexBits) == indexBits))
            {
                return key;
            }
        }

        throw new ArgumentException($"no key of {keyLength} bytes found in {MaxAttempts} draws that spreads these fields over {tableLength} entries under the symmetry asked for", nameof(fields));
    }

    /// <summary>A random key of <paramref name="keyLength"/> bytes under which every enabled type hashes both directions of a flow alike.</summary>
    /// <exception cref="ArgumentException">The key is shorter than the enabled types need.</exception>
    public static byte[] Symmetric(int keyLength, HashTypes types, Random? random = null)
    {
        int needed = HashInput.RequiredKeyLength(types);
        if (keyLength < needed)
        {
            throw new ArgumentException($"the enabled types need a key of at least {needed} bytes, got {keyLength}", nameof(keyLength));
        }

        int[] classes = SymmetryClasses(keyLength, types);
        byte[] key;
        do
        {
            key = Draw(classes, keyLength, random);
        }
        while (IsZero(key));

        return key;
    }

    /// <summary>
    /// The rank of the table-index bits the lowest log2(table) bits of <paramref name="field"/> move under
    /// <paramref name="key"/>: log2(table) means the field spreads evenly.
    /// </summary>
    internal static int SpreadRank(ReadOnlySpan<byte> key, InputBits field, int indexBits)
    {
        if (indexBits == 0)
        {
            return 0;
        }

        // Bit j of the value sits at input bit Offset + Length - 1 - j; its window's low indexBits bits pick the entry.
        Span<uint> basis = stackalloc uint[indexBits];
        basis.Clear();
        int rank = 0;
        uint mask = indexBits == 32 ? uint.MaxValue : (1u << indexBits) - 1;
        for (int j = 0; j < indexBits; j++)
        {
            uint vector = Window(key, field.Offset + field.Length - 1 - j) & mask;
            for (int k = indexBits - 1; k >= 0 && vector != 0; k--)
            {
                if ((vector >> k & 1) == 0)
                {
                    continue;
                }

                if (basis[k] == 0)
                {
                    basis[k] = vector;
                    rank++;
                    break;
                }

                vector ^= basis[k];
            }
        }

        return rank;
    }

    /// <summary>The 32 key bits from bit <paramref name="bit"/> on, the first one most significant.</summary>
    private static uint Window(ReadOnlySpan<byte> key, int bit)
    {
        uint window = 0;
        for (int i = 0; i < WindowBits; i++)
        {
            int at = bit + i;
            window = window << 1 | (uint)(key[at >> 3] >> (7 - (at & 7)) & 1);
        }

        return window;
    }

    /// <summary>For every key bit, the bit it must equal (a union-find root); each root is drawn once.</summary>
    private static int[] SymmetryClasses(int keyLength, HashTypes types)
    {
        int bits = 8 * keyLength;
        var parent = new int[bits];
        for (int i = 0; i < bits; i++)
        {
            parent[i] = i;
        }

        int Find(int i)
        {
            while (parent[i] != i)
            {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }

            return i;
        }

        void Tie(int from, int width)
        {
            // Fields [from, from+width) and [from+width, from+2·width) contribute alike when their windows agree.
            for (int j = from; j < from + width + WindowBits - 1 && j + width < bits; j++)
            {
                int a = Find(j);
                int b = Find(j + width);
                parent[Math.Max(a, b)] = Math.Min(a, b);
            }
        }

        for (int report = 1; report <= 9; report++)
        {
            if (((uint)types & (1u << (report - 1))) == 0)
            {
                continue;
            }

            int length = HashInput.Length((HashReport)report);
            int addressBits = length is HashInput.IPv4Length or HashInput.IPv4WithPortsLength ? 32 : 128;
            Tie(0, addressBits);
            if (length is HashInput.IPv4WithPortsLength or HashInput.IPv6WithPortsLength)
            {
                Tie(2 * addressBits, 16);
            }
        }

        for (int i = 0; i < bits; i++)
        {
            parent[i] = Find(i);
        }

        return parent;
    }

    private static byte[] Draw(int[] classes, int keyLength, Random? random)
    {
        var free = new byte[keyLength];
        if (random is null)
        {
            RandomNumberGenerator.Fill(free);
        }
        else
        {
            random.NextBytes(free);
        }

        // Every bit takes the value drawn for its class root, so tied bits agree.
        var key = new byte[keyLength];
        for (int i = 0; i < classes.Length; i++)
        {
            int root = classes[i];
            if ((free[root >> 3] >> (7 - (root & 7)) & 1) != 0)
            {
                key[i >> 3] |= (byte)(0x80 >> (i & 7));
            }
        }

        return key;
    }

    private static bool IsZero(ReadOnlySpan<byte> key) => !key.ContainsAnyExcept((byte)0);
}
