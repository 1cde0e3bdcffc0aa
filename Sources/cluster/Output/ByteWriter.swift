import StoryCluster

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A buffered writer of UTF-8 bytes to a file descriptor (standard output by default).
///
/// Reports can hold millions of pairs; building one `String` and printing it costs seconds and
/// doubles the peak memory. This writer appends bytes to a 1 MiB buffer, formats numbers and
/// escapes strings byte by byte, and flushes with `write(2)` as it fills.
struct ByteWriter: ~Copyable {
  private var buffer: [UInt8] = []
  private let descriptor: Int32
  private let capacity = 1 << 20
  /// Set when a `write(2)` failed (for example, a closed pipe); later output is dropped.
  private(set) var failed = false

  /// Creates a writer to `descriptor` (standard output by default).
  init(descriptor: Int32 = 1) {
    self.descriptor = descriptor
    buffer.reserveCapacity(capacity + 4096)
  }

  /// Creates a writer that only collects bytes (``collected`` hands them over).
  private init(collecting: Void) {
    descriptor = -1
  }

  /// The bytes a collecting writer holds.
  private consuming func collected() -> [UInt8] { buffer }

  /// Writes `element(k, items[k])` for every k, formatting chunks of items on up to `threads`
  /// threads and writing the chunks in order: the bytes are those of a plain loop, and at most
  /// a few chunks are held at once.
  mutating func writeEach<Items: RandomAccessCollection>(
    _ items: Items, threads: Int, _ element: (Int, Items.Element, inout ByteWriter) -> Void
  ) where Items.Index == Int {
    let chunk = 8192
    if threads < 2 || items.count <= chunk {
      for k in items.indices { element(k - items.startIndex, items[k], &self) }
      return
    }
    let chunkCount = (items.count + chunk - 1) / chunk
    let wave = 2 * threads
    for first in stride(from: 0, to: chunkCount, by: wave) {
      let parts = parallelMap(min(wave, chunkCount - first), threads: threads) { c -> [UInt8] in
        var writer = ByteWriter(collecting: ())
        let start = (first + c) * chunk
        for k in start..<min(items.count, start + chunk) {
          element(k, items[items.startIndex + k], &writer)
        }
        return writer.collected()
      }
      for part in parts {
        flush()
        buffer = part
        flush()
      }
    }
  }

  /// Writes out everything buffered; call it once the report is written.
  mutating func flush() {
    guard !failed, !buffer.isEmpty else { return }
    let ok = buffer.withUnsafeBytes { raw -> Bool in
      guard let base = raw.baseAddress else { return true }
      var offset = 0
      while offset < raw.count {
        let n = write(descriptor, base + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += n
      }
      return true
    }
    if !ok { failed = true }
    buffer.removeAll(keepingCapacity: true)
  }

  @inline(__always)
  private mutating func flushIfFull() {
    if buffer.count >= capacity && descriptor >= 0 { flush() }
  }

  /// Appends text as is.
  mutating func raw(_ text: String) {
    var text = text
    text.withUTF8 { buffer.append(contentsOf: $0) }
    flushIfFull()
  }

  /// Appends one ASCII byte.
  @inline(__always)
  mutating func byte(_ b: UInt8) { buffer.append(b) }

  /// Appends a JSON string literal (see ``JSONBytes/appendString(_:to:)``).
  mutating func jsonString(_ text: String) {
    JSONBytes.appendString(text, to: &buffer)
    flushIfFull()
  }

  /// Appends a CSV field: quoted (quotes doubled) when it holds a comma, quote or line break.
  mutating func csvField(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      let needsQuotes = bytes.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
      if !needsQuotes {
        buffer.append(contentsOf: bytes)
        return
      }
      buffer.append(34)
      for b in bytes {
        buffer.append(b)
        if b == 34 { buffer.append(34) }
      }
      buffer.append(34)
    }
    flushIfFull()
  }

  /// Appends an integer in decimal.
  mutating func integer(_ value: Int) { JSONBytes.appendInteger(value, to: &buffer) }

  /// Appends `x` with `decimals` places (see ``JSONBytes/appendFixed(_:decimals:to:)``).
  mutating func fixed(_ x: Double, decimals: Int) {
    JSONBytes.appendFixed(x, decimals: decimals, to: &buffer)
  }

  /// Appends a score with six decimals, as every output prints scores.
  mutating func score(_ x: Double) { fixed(x, decimals: 6) }
}
