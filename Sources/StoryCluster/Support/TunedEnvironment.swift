#if canImport(Glibc)
  import Glibc
#endif

/// Starts the program again with glibc's allocator asking for transparent huge pages
/// (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`) and with OpenBLAS starting no threads of its own
/// (`OPENBLAS_NUM_THREADS=1`), unless the environment already says either way.
///
/// Average linkage on a million articles reads and writes gigabytes of small neighbour maps
/// at random; with 4 KiB pages most of those reads miss the TLB as well as the cache. Where
/// the kernel leaves huge pages to `madvise` (Debian's default), the tunable makes malloc
/// advise them for its heaps, and the linkage of the synthetic million runs about a quarter
/// faster (README, Performance).
///
/// The engine runs sgemm on its own threads and sets OpenBLAS to one thread before the first
/// call (``BLAS``), but by then OpenBLAS has started its pool at load time (one thread per
/// core), and an idle pool thread spins in `sched_yield` beside the engine's: on the 2-core
/// machine a tenth of a 5,000-article run's samples, and 2–4 % of Reuters-21578's wall time
/// (README, Performance). Told one thread before it loads, OpenBLAS starts none; the output
/// is the same (it does not depend on `OPENBLAS_NUM_THREADS`, ``BLAS``).
///
/// glibc reads its tunables, and OpenBLAS its thread count, only at start, so the only way to
/// set them for the running program is to `exec` it again, which this does before anything
/// else has run (same process id, arguments and open files; about a millisecond). A user who
/// sets `GLIBC_TUNABLES=glibc.malloc.hugetlb=0` keeps the default pages, and one who sets
/// `OPENBLAS_NUM_THREADS` keeps that count; a glibc that does not know the tunable ignores it;
/// where `exec` fails, the program goes on as it was.
///
/// Call it first thing in `main`. Does nothing outside Linux.
///
/// - Parameter isTellingBLAS: Whether to set `OPENBLAS_NUM_THREADS` too. `Benchmarks` does not:
///   the peers it starts inherit its environment and must run with their BLAS as users run it.
package func restartWithTunedEnvironment(
  arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = CommandLine.unsafeArgv,
  isTellingBLAS: Bool = true
) {
  #if os(Linux)
    var isChanged = false
    let tunable = "glibc.malloc.hugetlb"
    let current = environmentValue("GLIBC_TUNABLES")
    if !current.contains(tunable) {
      let value = (current.isEmpty ? "" : current + ":") + tunable + "=1"
      guard setenv("GLIBC_TUNABLES", value, 1) == 0 else { return }
      isChanged = true
    }
    if isTellingBLAS && environmentValue("OPENBLAS_NUM_THREADS").isEmpty {
      guard setenv("OPENBLAS_NUM_THREADS", "1", 1) == 0 else { return }
      isChanged = true
    }
    guard isChanged else { return }
    // Returns only when exec fails; the program then goes on as it was.
    execv("/proc/self/exe", arguments)
  #endif
}

/// The process's value of the environment variable `name` (empty when unset): what
/// ``restartWithTunedEnvironment(arguments:isTellingBLAS:)`` reads and `cluster run --verbose`
/// prints.
package func environmentValue(_ name: String) -> String {
  #if canImport(Glibc)
    return getenv(name).map { String(cString: $0) } ?? ""
  #else
    return ""
  #endif
}
