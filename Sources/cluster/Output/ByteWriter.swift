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
    if buffer.count >= capacity { flush() }
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

  /// Appends a JSON string literal: `"`, `\` and control characters escaped, the rest verbatim.
  mutating func jsonString(_ text: String) {
    var text = text
    buffer.append(UInt8(ascii: "\""))
    text.withUTF8 { bytes in
      for b in bytes {
        switch b {
        case UInt8(ascii: "\""): buffer.append(contentsOf: [92, 34])
        case UInt8(ascii: "\\"): buffer.append(contentsOf: [92, 92])
        case UInt8(ascii: "\n"): buffer.append(contentsOf: [92, 110])
        case UInt8(ascii: "\r"): buffer.append(contentsOf: [92, 114])
        case UInt8(ascii: "\t"): buffer.append(contentsOf: [92, 116])
        case 0..<0x20:
          let hex: [UInt8] = Array("0123456789abcdef".utf8)
          buffer.append(contentsOf: [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
        default: buffer.append(b)
        }
      }
    }
    buffer.append(UInt8(ascii: "\""))
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

  /// Appends a non-negative or negative integer in decimal.
  mutating func integer(_ value: Int) {
    if value < 0 {
      buffer.append(UInt8(ascii: "-"))
      integer(-value)
      return
    }
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var count = 0
    var v = value
    withUnsafeMutableBytes(of: &digits) { d in
      repeat {
        d[count] = UInt8(48 + v % 10)
        v /= 10
        count += 1
      } while v > 0
      for k in stride(from: count - 1, through: 0, by: -1) { buffer.append(d[k]) }
    }
  }

  /// Appends `x` rounded half away from zero to `decimals` places (the same text as
  /// ``JSONText/fixed(_:decimals:)``): no locale, no exponent; non-finite values print as 0.
  mutating func fixed(_ x: Double, decimals: Int) {
    guard x.isFinite else {
      buffer.append(48)
      return
    }
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((abs(x) * Double(scale)).rounded(.toNearestOrAwayFromZero))
    if x < 0 && scaled != 0 { buffer.append(UInt8(ascii: "-")) }
    integer(scaled / scale)
    guard decimals > 0 else { return }
    buffer.append(UInt8(ascii: "."))
    var fraction = scaled % scale
    var divisor = scale / 10
    for _ in 0..<decimals {
      buffer.append(UInt8(48 + fraction / divisor))
      fraction %= divisor
      divisor = max(1, divisor / 10)
    }
  }

  /// Appends a score with six decimals, as every output prints scores.
  mutating func score(_ x: Double) { fixed(x, decimals: 6) }
}
