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
///
/// The first failed write is kept in ``failure`` and later output is dropped (a wave of
/// parallel formatting is not even started), so a closed pipe or a full disk ends the work;
/// ``finish()`` flushes and throws that failure, so no command can forget to check it.
struct ByteWriter: ~Copyable {
  private var buffer: [UInt8] = []
  private let descriptor: Int32
  private let capacity = 1 << 20
  /// Why a `write(2)` failed (a closed pipe, a full disk), once one has; later output is
  /// dropped.
  private(set) var failure: OutputError?

  /// Creates a writer to `descriptor` (standard output by default).
  init(descriptor: Int32 = 1) {
    self.descriptor = descriptor
    buffer.reserveCapacity(capacity + 4096)
  }

  /// Creates a writer that only collects bytes, into `storage` (emptied, capacity kept);
  /// ``collected()`` hands them back.
  private init(collectingInto storage: consuming [UInt8]) {
    descriptor = -1
    buffer = storage
    buffer.removeAll(keepingCapacity: true)
  }

  /// The bytes a collecting writer holds.
  private consuming func collected() -> [UInt8] { buffer }

  /// Writes `element(k, items[k])` for every k, formatting chunks of items on up to `threads`
  /// threads and writing the chunks in order: the bytes are those of a plain loop, and at most
  /// a few chunks are held at once.
  mutating func writeEach<Items: RandomAccessCollection>(
    _ items: Items, threads: Int, _ element: (Int, Items.Element, inout ByteWriter) -> Void
  ) where Items.Index == Int {
    writeChunks(count: items.count, threads: threads) { range, out in
      for k in range { element(k, items[items.startIndex + k], &out) }
    }
  }

  /// Writes `chunk(range)` for consecutive ranges covering `0..<count`, formatting them on up to
  /// `threads` threads into buffers that are reused from wave to wave (so their pages are
  /// touched once), and writing them in order: the bytes are those of one call over the whole
  /// range, and at most a few chunks are held at once.
  mutating func writeChunks(
    count: Int, threads: Int, _ chunk: (Range<Int>, inout ByteWriter) -> Void
  ) {
    let size = 8192
    if threads < 2 || count <= size {
      chunk(0..<count, &self)
      return
    }
    let chunkCount = (count + size - 1) / size
    let wave = 2 * threads
    var parts = [[UInt8]](repeating: [], count: wave)
    flush()
    for first in stride(from: 0, to: chunkCount, by: wave) where failure == nil {
      let inWave = min(wave, chunkCount - first)
      parts.withUnsafeMutableBufferPointer { parts in
        nonisolated(unsafe) let parts = parts
        parallelForEach(inWave, threads: threads) { c in
          // Each slot is visited by exactly one thread.
          var storage: [UInt8] = []
          swap(&storage, &parts[c])
          var writer = ByteWriter(collectingInto: storage)
          let start = (first + c) * size
          chunk(start..<min(count, start + size), &writer)
          parts[c] = writer.collected()
        }
      }
      for c in 0..<inWave { send(parts[c]) }
    }
  }

  /// Writes out everything buffered; call it once the report is written.
  mutating func flush() {
    send(buffer)
    buffer.removeAll(keepingCapacity: true)
  }

  /// Writes out everything buffered and reports whether all of the output was written.
  ///
  /// Call it once the output is complete; a writer that is only flushed can lose a failure.
  ///
  /// - Throws: The first failure of any write: `OutputError.closedPipe` when the reader of a
  ///   pipe has gone (`EPIPE`), `OutputError.cannotWrite(errno:)` for any other error.
  mutating func finish() throws(OutputError) {
    flush()
    if let failure { throw failure }
  }

  /// Writes `bytes` to the descriptor with `write(2)` (none once a write has failed).
  private mutating func send(_ bytes: [UInt8]) {
    guard failure == nil, !bytes.isEmpty else { return }
    do throws(OutputError) {
      try Self.writeAll(bytes, to: descriptor)
    } catch {
      failure = error
    }
  }

  /// Writes all of `bytes` to `descriptor` with `write(2)`, retrying when interrupted.
  ///
  /// - Throws: `OutputError.closedPipe` on `EPIPE` (`SIGPIPE` is ignored, see
  ///   ``ClusterCommand/main()``), `OutputError.cannotWrite(errno:)` on any other error.
  static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(OutputError) {
    let code = bytes.withUnsafeBytes { raw -> Int32 in
      guard let base = raw.baseAddress else { return 0 }
      var offset = 0
      while offset < raw.count {
        let n = write(descriptor, base + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += n
      }
      return 0
    }
    if code != 0 { throw OutputError.writing(errno: code) }
  }

  @inline(__always)
  private mutating func flushIfFull() {
    if buffer.count >= capacity && descriptor >= 0 { flush() }
  }

  /// Appends text and a line feed, as `print(text)` would.
  mutating func line(_ text: String) {
    raw(text)
    byte(UInt8(ascii: "\n"))
  }

  /// Appends text as is.
  mutating func raw(_ text: String) {
    var text = text
    text.withUTF8 { buffer.append(contentsOf: $0) }
    flushIfFull()
  }

  /// Appends the bytes `fill` writes to a scratch line of `maximum` bytes (it returns how many it
  /// wrote): one copy into the buffer for a whole run of small pieces.
  mutating func append(maximum: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Int) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximum) { scratch in
      guard let base = scratch.baseAddress else { return }
      let count = fill(base)
      precondition(count <= maximum, "a scratch line overflowed")
      buffer.append(contentsOf: UnsafeBufferPointer(start: base, count: count))
    }
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

  /// Appends a JSON string literal safe inside an HTML `<script>` element (see
  /// ``JSONBytes/appendScriptString(_:to:)``).
  mutating func scriptString(_ text: String) {
    JSONBytes.appendScriptString(text, to: &buffer)
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
