package dev.ringbench.ringbuf;

/**
 * The memory one ring holds.
 *
 * @param physicalBytes   bytes of memory backing the ring: the three metadata pages and the data
 *                        pages, each counted once (what the ring costs in RAM)
 * @param virtualBytes    bytes of address space mapped: the metadata pages and the data pages
 *                        twice (the double mapping costs address space, not memory)
 * @param kernelMapUsage  what the kernel would report as the map's memory usage
 *                        ({@code ringbuf_map_mem_usage}): the pages plus the page-pointer array;
 *                        the small {@code struct bpf_ringbuf_map} itself is not counted
 */
public record MemoryReport(long physicalBytes, long virtualBytes, long kernelMapUsage) {
}
