// Heap — the two glibc malloc tunings the daemon uses. <malloc.h> is not in
// Swift's Glibc module, so both functions are looked up by name; where one
// is missing (another libc) the call does nothing.
import Glibc

public enum Heap {
    /// The C function `name` of this process, or nil.
    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        dlsym(dlopen(nil, RTLD_NOW), name)
    }

    /// mallopt(M_MMAP_THRESHOLD, bytes): the ingest loop's batch arrays
    /// (MiBs, freed after each commit) then come from mmap and go back to
    /// the system, where glibc's sliding threshold would move them into the
    /// heap to stay (Benchmarks/RESULTS.md, §1).
    public static func fixMmapThreshold(_ bytes: Int32) {
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let M_MMAP_THRESHOLD: Int32 = -3
        guard let symbol = symbol("mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(M_MMAP_THRESHOLD, bytes)
    }

    /// malloc_trim(0): gives freed heap pages back to the system, after
    /// work that allocated many small blocks at once (an evaluator's full
    /// pass, §3).
    static func trim() {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = symbol("malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
    }
}
