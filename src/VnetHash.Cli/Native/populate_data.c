// Asks the kernel, before the .NET runtime starts, for the pages the runtime is about to write its data into.
//
// A Native AOT executable keeps its data compressed in the file and writes it out at start ("rehydration") into a
// zero-filled section at the end of its writable segment, after .bss: about 1.8 MB for this tool. Each 4 KiB page of
// it is otherwise taken by a page fault of its own as it is first written, about 470 faults per start, and a fault is
// dear where every entry to the kernel is (a virtual machine, page-table isolation). One madvise(MADV_POPULATE_WRITE)
// (Linux 5.14) gives the process the whole range in one call: the same zero-filled private pages, made ready together.
// The pages of .bss that the run would not have written are made too; .bss is a few dozen pages. Where the call fails
// (an older kernel: EINVAL), the pages fault in one by one as before: nothing else depends on it.

#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

// Called for the executable first (dl_iterate_phdr(3)); returns 1 to stop there: the libraries are not ours.
static int populate_zero_filled(struct dl_phdr_info *program, size_t size, void *unused)
{
    (void)size;
    (void)unused;
    long page_size = sysconf(_SC_PAGESIZE);
    if (page_size <= 0)
    {
        return 1;
    }

    uintptr_t page = (uintptr_t)page_size;
    for (ElfW(Half) i = 0; i < program->dlpi_phnum; i++)
    {
        const ElfW(Phdr) *segment = &program->dlpi_phdr[i];
        if (segment->p_type != PT_LOAD || (segment->p_flags & PF_W) == 0)
        {
            continue;
        }

        // The zero-filled part: from the first whole page past the file's bytes to the segment's end.
        uintptr_t start = (program->dlpi_addr + segment->p_vaddr + segment->p_filesz + page - 1) & ~(page - 1);
        uintptr_t end = (program->dlpi_addr + segment->p_vaddr + segment->p_memsz + page - 1) & ~(page - 1);
        if (end > start)
        {
            (void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
        }
    }

    return 1;
}

// Priority 102: after the level chooser (101), so that a portable build about to be replaced by another level does not
// populate pages it will never use, and before the runtime's own constructors.
__attribute__((constructor(102))) static void populate_data(void)
{
    dl_iterate_phdr(populate_zero_filled, NULL);
}
