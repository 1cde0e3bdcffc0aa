/// Splits a byte buffer into lines at `\n`, `\r\n` or a lone `\r`, calling `body` with each line's
/// range (without its terminator) and its 1-based number. A final line without a terminator is
/// included; a trailing terminator does not produce an empty last line.
///
/// - Complexity: O(n) time, O(1) memory.
func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, Int) -> Void) {
  var start = 0
  var line = 1
  let n = bytes.count
  while start < n {
    var i = ByteScanning.firstLineEnd(in: bytes, from: start)
    if i == n { break }
    body(start..<i, line)
    if bytes[i] == 0x0D, i + 1 < n, bytes[i + 1] == 0x0A { i += 1 }
    start = i + 1
    line += 1
  }
  if start < n { body(start..<n, line) }
}

/// The 1-based line (counting `\n`, `\r\n` and lone `\r`) of byte `offset`.
func lineNumber(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
  var line = 1
  var i = 0
  while i < offset, i < bytes.count {
    if bytes[i] == 0x0A {
      line += 1
    } else if bytes[i] == 0x0D {
      line += 1
      if i + 1 < bytes.count, bytes[i + 1] == 0x0A, i + 1 < offset { i += 1 }
    }
    i += 1
  }
  return line
}

/// The offset of the first byte that is not part of valid UTF-8, or `nil` when all are valid.
func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
  var i = 0
  let n = bytes.count
  while i < n {
    if let base = bytes.baseAddress, i + 8 <= n {
      let mask = ByteScanning.nonASCIIBytes(ByteScanning.word(base, at: i))
      if mask == 0 {
        i += 8
        continue
      }
      i += ByteScanning.firstMarked(mask)
    }
    let c = bytes[i]
    if c < 0x80 {
      i += 1
      continue
    }
    var need = 0
    var minScalar: UInt32 = 0
    var scalar: UInt32 = 0
    switch c {
    case 0xC2...0xDF: need = 1; minScalar = 0x80; scalar = UInt32(c & 0x1F)
    case 0xE0...0xEF: need = 2; minScalar = 0x800; scalar = UInt32(c & 0x0F)
    case 0xF0...0xF4: need = 3; minScalar = 0x10000; scalar = UInt32(c & 0x07)
    default: return i
    }
    guard i + need < n else { return i }
    for k in 1...need {
      let d = bytes[i + k]
      guard d & 0xC0 == 0x80 else { return i }
      scalar = scalar << 6 | UInt32(d & 0x3F)
    }
    if scalar < minScalar || scalar > 0x10FFFF || (scalar >= 0xD800 && scalar < 0xE000) {
      return i
    }
    i += need + 1
  }
  return nil
}
