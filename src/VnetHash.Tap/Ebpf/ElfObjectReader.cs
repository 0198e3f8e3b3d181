using System.Buffers.Binary;
using System.Text;

namespace VnetHash.Tap.Ebpf;

/// <summary>
/// Reads the parts of an ELF64 BPF object that loading needs: program sections, the <c>maps</c> section with
/// one definition per symbol, the licence, and the <c>.rel&lt;section&gt;</c> relocations of map references.
/// </summary>
/// <remarks>
/// Map definitions use five u32 fields (type, key size, value size, max entries, flags), the legacy layout of
/// <c>SEC("maps")</c>. BTF, subprograms (calls into <c>.text</c>) and global data are not supported and are
/// rejected by name rather than loaded wrongly.
/// </remarks>
internal static class ElfObjectReader
{
    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const int RelocationSize = 16;
    private const ushort MachineBpf = 247;
    private const uint SectionProgramBits = 1;
    private const uint SectionSymbolTable = 2;
    private const uint SectionRelocations = 9;
    private const ulong FlagExecutable = 0x4;
    private const uint RelocationBpf64 = 1;
    private const byte SymbolTypeFunction = 2;
    private const byte LoadImmediate64 = 0x18;
    private const int MapDefinitionSize = 20;

    private readonly record struct Section(int Index, string Name, uint Type, ulong Flags, int Offset, int Size, uint Link, uint Info);

    private readonly record struct Symbol(string Name, byte Type, ushort SectionIndex, ulong Value);

    internal static BpfCollectionSpec Read(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < HeaderSize || !elf[..4].SequenceEqual("\u007fELF"u8))
        {
            throw new BpfObjectFormatException("Not an ELF file: the magic number is missing.");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new BpfObjectFormatException("Only 64-bit little-endian ELF objects are supported (clang -target bpf on x86-64).");
        }

        ushort machine = BinaryPrimitives.ReadUInt16LittleEndian(elf[18..]);
        if (machine != MachineBpf)
        {
            throw new BpfObjectFormatException($"The ELF machine is {machine}, not BPF ({MachineBpf}).");
        }

        Section[] sections = ReadSections(elf);
        Symbol[] symbols = ReadSymbols(elf, sections);
        var spec = new BpfCollectionSpec();

        Section? maps = Array.Find(sections, s => s.Name == "maps");
        if (maps is { } mapSection)
        {
            foreach (Symbol symbol in symbols.Where(s => s.SectionIndex == mapSection.Index && s.Name.Length > 0).OrderBy(s => s.Value))
            {
                if (symbol.Value + MapDefinitionSize > (ulong)mapSection.Size)
                {
                    throw new BpfObjectFormatException($"Map '{symbol.Name}' runs past the end of the maps section.");
                }

                ReadOnlySpan<byte> d = Slice(elf, mapSection.Offset + (int)symbol.Value, MapDefinitionSize);
                spec.Maps.Add(symbol.Name, new BpfMapSpec(
                    symbol.Name,
                    (BpfMapType)BinaryPrimitives.ReadUInt32LittleEndian(d),
                    BinaryPrimitives.ReadUInt32LittleEndian(d[4..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(d[8..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(d[12..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(d[16..])));
            }
        }

        string license = "";
        if (Array.Find(sections, s => s.Name == "license") is { Size: > 0 } licenseSection)
        {
            ReadOnlySpan<byte> text = Slice(elf, licenseSection.Offset, licenseSection.Size);
            int end = text.IndexOf((byte)0);
            license = Encoding.ASCII.GetString(end < 0 ? text : text[..end]);
        }

        foreach (Section section in sections)
        {
            if (section.Type != SectionProgramBits || (section.Flags & FlagExecutable) == 0 || section.Size == 0)
            {
                continue;
            }

            if (section.Name == ".text")
            {
                throw new BpfObjectFormatException("The object has code in .text (BPF-to-BPF calls); this loader supports one function per program section, so mark helpers always_inline.");
            }

            BpfProgramType type = section.Name == "socket" || section.Name.StartsWith("socket/", StringComparison.Ordinal)
                ? BpfProgramType.SocketFilter
                : throw new BpfObjectFormatException($"Program section '{section.Name}' has no known program type (supported: socket).");

            Symbol function = Array.Find(symbols, s => s.SectionIndex == section.Index && s.Type == SymbolTypeFunction && s.Value == 0);
            string name = function.Name is { Length: > 0 } n ? n : section.Name;
            byte[] instructions = Slice(elf, section.Offset, section.Size).ToArray();
            List<BpfMapReference> references = ReadMapReferences(elf, sections, symbols, section, instructions, maps);
            spec.Programs.Add(name, new BpfProgramSpec(name, type, instructions, license, references));
        }

        return spec;
    }

    private static List<BpfMapReference> ReadMapReferences(ReadOnlySpan<byte> elf, Section[] sections, Symbol[] symbols, Section program, byte[] instructions, Section? maps)
    {
        var references = new List<BpfMapReference>();
        foreach (Section rel in sections)
        {
            if (rel.Type != SectionRelocations || rel.Info != (uint)program.Index)
            {
                continue;
            }

            for (int at = 0; at + RelocationSize <= rel.Size; at += RelocationSize)
            {
                ReadOnlySpan<byte> entry = Slice(elf, rel.Offset + at, RelocationSize);
                ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(entry);
                ulong info = BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]);
                uint kind = (uint)info;
                int symbolIndex = (int)(info >> 32);
                if (symbolIndex >= symbols.Length)
                {
                    throw new BpfObjectFormatException($"A relocation in {rel.Name} names symbol {symbolIndex}, beyond the symbol table.");
                }

                Symbol symbol = symbols[symbolIndex];
                if (kind != RelocationBpf64 || maps is not { } mapSection || symbol.SectionIndex != mapSection.Index)
                {
                    throw new BpfObjectFormatException($"Relocation of '{symbol.Name}' (type {kind}) in {program.Name} is not a map reference; global data and calls are not supported.");
                }

                if (offset % BpfProgramSpec.InstructionSize != 0 || offset + 16 > (ulong)instructions.Length || instructions[(int)offset] != LoadImmediate64)
                {
                    throw new BpfObjectFormatException($"The reference to map '{symbol.Name}' at byte {offset} of {program.Name} is not an ld_imm64 instruction.");
                }

                references.Add(new BpfMapReference((int)(offset / BpfProgramSpec.InstructionSize), symbol.Name));
            }
        }

        return references;
    }

    private static Section[] ReadSections(ReadOnlySpan<byte> elf)
    {
        ulong tableOffset = BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]);
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        int namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3E..]);
        if (entrySize != SectionHeaderSize || tableOffset > (ulong)elf.Length || (ulong)count * SectionHeaderSize > (ulong)elf.Length - tableOffset || namesIndex >= count)
        {
            throw new BpfObjectFormatException("The ELF section header table is malformed.");
        }

        var raw = new (uint Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info)[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> h = elf.Slice((int)tableOffset + (i * SectionHeaderSize), SectionHeaderSize);
            raw[i] = (
                BinaryPrimitives.ReadUInt32LittleEndian(h),
                BinaryPrimitives.ReadUInt32LittleEndian(h[4..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[24..]),
                BinaryPrimitives.ReadUInt64LittleEndian(h[32..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[40..]),
                BinaryPrimitives.ReadUInt32LittleEndian(h[44..]));
            // SHT_NOBITS (8) occupies no file bytes.
            if (raw[i].Type != 8 && raw[i].Type != 0 && (raw[i].Offset > (ulong)elf.Length || raw[i].Size > (ulong)elf.Length - raw[i].Offset))
            {
                throw new BpfObjectFormatException($"ELF section {i} runs past the end of the file.");
            }
        }

        ReadOnlySpan<byte> names = elf.Slice((int)raw[namesIndex].Offset, (int)raw[namesIndex].Size);
        var sections = new Section[count];
        for (int i = 0; i < count; i++)
        {
            bool inFile = raw[i].Type != 8 && raw[i].Type != 0;
            sections[i] = new Section(i, CString(names, raw[i].Name), raw[i].Type, raw[i].Flags, inFile ? (int)raw[i].Offset : 0, inFile ? (int)raw[i].Size : 0, raw[i].Link, raw[i].Info);
        }

        return sections;
    }

    private static Symbol[] ReadSymbols(ReadOnlySpan<byte> elf, Section[] sections)
    {
        Section? table = Array.Find(sections, s => s.Type == SectionSymbolTable);
        if (table is not { } symtab)
        {
            throw new BpfObjectFormatException("The object has no symbol table.");
        }

        if (symtab.Link >= sections.Length)
        {
            throw new BpfObjectFormatException("The symbol table links to a missing string table.");
        }

        Section strings = sections[symtab.Link];
        ReadOnlySpan<byte> names = Slice(elf, strings.Offset, strings.Size);
        var symbols = new Symbol[symtab.Size / SymbolSize];
        for (int i = 0; i < symbols.Length; i++)
        {
            ReadOnlySpan<byte> s = Slice(elf, symtab.Offset + (i * SymbolSize), SymbolSize);
            symbols[i] = new Symbol(
                CString(names, BinaryPrimitives.ReadUInt32LittleEndian(s)),
                (byte)(s[4] & 0xF),
                BinaryPrimitives.ReadUInt16LittleEndian(s[6..]),
                BinaryPrimitives.ReadUInt64LittleEndian(s[8..]));
        }

        return symbols;
    }

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> elf, int offset, int length)
    {
        if (offset < 0 || length < 0 || offset > elf.Length - length)
        {
            throw new BpfObjectFormatException($"An ELF structure at byte {offset} ({length} bytes) runs past the end of the file.");
        }

        return elf.Slice(offset, length);
    }

    private static string CString(ReadOnlySpan<byte> table, uint offset)
    {
        if (offset >= table.Length)
        {
            throw new BpfObjectFormatException($"A name at string-table offset {offset} lies outside the table.");
        }

        ReadOnlySpan<byte> rest = table[(int)offset..];
        int end = rest.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? rest : rest[..end]);
    }
}
