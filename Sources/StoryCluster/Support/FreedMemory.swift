#if canImport(Glibc)
  import Glibc
#endif

/// Hands memory the process has freed back to the operating system.
///
/// The articles' and texts' many small strings live in the C heap; freeing them leaves their
/// pages resident, and the kernel's large buffers come from fresh mappings, so the peak would
/// count both. Trimming the heap between the two (glibc's `malloc_trim`, looked up at run time
/// because Swift's Glibc module does not export `malloc.h`) lets the peak count only what is
/// live. Where there is no `malloc_trim` it does nothing.
func returnFreedMemory() {
  #if canImport(Glibc)
    typealias Trim = @convention(c) (Int) -> Int32
    guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "malloc_trim") else {
      return
    }
    _ = unsafeBitCast(symbol, to: Trim.self)(0)
  #endif
}

/// The process's peak resident set so far, in bytes (`getrusage`), or 0 where it is unknown.
package func peakResidentBytes() -> Int {
  #if canImport(Glibc)
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    return usage.ru_maxrss * 1024
  #else
    return 0
  #endif
}

/// Hands the whole pages inside `buffer` back to the operating system; their contents read as
/// zeros afterwards. For a large buffer that is read front to back once and whose read part is
/// not needed again (the story graph's input edges), so the part already read stops counting
/// while the rest is still being read. Where there is no `madvise` it does nothing.
///
/// - Parameter buffer: Memory the caller owns and will not read again.
func releasePages(_ buffer: UnsafeMutableRawBufferPointer) {
  #if canImport(Glibc)
    guard let base = buffer.baseAddress else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    guard page > 0 else { return }
    let start = (Int(bitPattern: base) + page - 1) / page * page
    let end = (Int(bitPattern: base) + buffer.count) / page * page
    guard end > start, let first = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(first, end - start, Int32(MADV_DONTNEED))
  #endif
}
