#if canImport(Glibc)
  import Glibc
#endif

/// Starts the program again with glibc's allocator asking for transparent huge pages
/// (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`), unless the environment already says either way.
///
/// Average linkage on a million articles reads and writes gigabytes of small neighbour maps
/// at random; with 4 KiB pages most of those reads miss the TLB as well as the cache. Where
/// the kernel leaves huge pages to `madvise` (Debian's default), the tunable makes malloc
/// advise them for its heaps, and the linkage of the synthetic million runs about a quarter
/// faster (README, Performance). glibc reads its tunables only at start, so the only way to
/// set one for the running program is to `exec` it again, which this does before anything
/// else has run (same process id, arguments and open files; about a millisecond). A user who
/// sets `GLIBC_TUNABLES=glibc.malloc.hugetlb=0` keeps the default pages; a glibc that does not
/// know the tunable ignores it; where `exec` fails, the program goes on as it was.
///
/// Call it first thing in `main`. Does nothing outside Linux.
package func restartWithHugePages(
  arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = CommandLine.unsafeArgv
) {
  #if os(Linux)
    let name = "GLIBC_TUNABLES"
    let tunable = "glibc.malloc.hugetlb"
    let current = allocatorTunables()
    guard !current.contains(tunable) else { return }
    let value = (current.isEmpty ? "" : current + ":") + tunable + "=1"
    guard setenv(name, value, 1) == 0 else { return }
    // Returns only when exec fails; the program then goes on with the default pages.
    execv("/proc/self/exe", arguments)
  #endif
}

/// The process's `GLIBC_TUNABLES` (empty when unset): what ``restartWithHugePages`` reads and
/// `cluster run --verbose` prints.
package func allocatorTunables() -> String {
  #if canImport(Glibc)
    return getenv("GLIBC_TUNABLES").map { String(cString: $0) } ?? ""
  #else
    return ""
  #endif
}
