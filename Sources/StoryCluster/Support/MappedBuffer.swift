#if canImport(Glibc)
  import Glibc
#endif

/// A fixed number of plain values in pages mapped straight from the operating system, unmapped
/// when the buffer goes.
///
/// The C heap keeps what is freed for reuse, so a large buffer freed while a run goes on stays
/// resident (glibc even raises its mapping threshold each time a mapped block is freed). The
/// kernel frees its per-block candidate lists one by one as their pairs are written; in mapped
/// pages they leave at once, so the candidates and the pairs are never resident together. Small
/// buffers, and platforms without `mmap`, use the heap.
final class MappedBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
  /// The values (uninitialised until written; plain values need no deinitialisation).
  let buffer: UnsafeMutableBufferPointer<Element>
  /// Bytes mapped, or 0 when the values are on the heap.
  private let mappedBytes: Int

  /// Buffers of this many bytes or more are mapped.
  static var mappingThreshold: Int { 64 << 10 }

  /// Room for `count` values.
  init(count: Int) {
    let bytes = count * MemoryLayout<Element>.stride
    #if canImport(Glibc)
      if bytes >= Self.mappingThreshold,
        let raw = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
        raw != MAP_FAILED
      {
        buffer = UnsafeMutableBufferPointer(
          start: raw.bindMemory(to: Element.self, capacity: count), count: count)
        mappedBytes = bytes
        return
      }
    #endif
    buffer = UnsafeMutableBufferPointer.allocate(capacity: count)
    mappedBytes = 0
  }

  deinit {
    #if canImport(Glibc)
      if mappedBytes > 0 {
        munmap(UnsafeMutableRawPointer(buffer.baseAddress), mappedBytes)
        return
      }
    #endif
    buffer.deallocate()
  }
}
