/// Word-at-a-time byte scans for the readers' hot loops.
///
/// Each scan reads eight bytes at a time as one `UInt64` and only looks at single bytes in a word
/// that may hold what it searches for, so the common case (plain ASCII text) costs one load, a few
/// arithmetic operations and one branch per eight bytes. The bit tricks are exact for "does any
/// byte of the word match" (S. E. Anderson, *Bit Twiddling Hacks*, "Determine if a word has a zero
/// byte" and "has a byte less than n"); the byte that matches is then found one byte at a time,
/// so results are the same as a plain byte loop.
enum ByteScanning {
  /// `0x01` in every byte.
  @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
  /// `0x80` in every byte.
  @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

  /// Whether any byte of `word` is zero.
  @inline(__always)
  static func hasZeroByte(_ word: UInt64) -> Bool {
    (word &- ones) & ~word & highs != 0
  }

  /// Whether any byte of `word` equals `byte`.
  @inline(__always)
  static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
    hasZeroByte(word ^ (ones &* UInt64(byte)))
  }

  /// Whether any byte of `word` is below `bound` (at most 128).
  @inline(__always)
  static func hasByteBelow(_ word: UInt64, _ bound: UInt8) -> Bool {
    (word &- ones &* UInt64(bound)) & ~word & highs != 0
  }

  /// Whether any byte of `word` is at least 0x80 (not ASCII).
  @inline(__always)
  static func hasNonASCII(_ word: UInt64) -> Bool { word & highs != 0 }

  /// The eight bytes at `offset` of `base`, in memory order (only byte membership is tested, so
  /// the byte order of the load does not matter).
  @inline(__always)
  static func word(_ base: UnsafePointer<UInt8>, at offset: Int) -> UInt64 {
    UnsafeRawPointer(base).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
  }

  /// The offset of the first `target` byte in `bytes[from..<to]`, or `to`.
  static func firstIndex(of target: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int)
    -> Int
  {
    var i = from
    if let base = bytes.baseAddress {
      while i + 8 <= to, !hasByte(word(base, at: i), target) { i += 8 }
    }
    while i < to, bytes[i] != target { i += 1 }
    return i
  }

  /// The offset of the first `\n` or `\r` in `bytes[from...]`, or `bytes.count`.
  static func firstLineEnd(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
    let n = bytes.count
    var i = from
    if let base = bytes.baseAddress {
      while i + 8 <= n {
        let w = word(base, at: i)
        if hasByte(w, 0x0A) || hasByte(w, 0x0D) { break }
        i += 8
      }
    }
    while i < n {
      let c = bytes[i]
      if c == 0x0A || c == 0x0D { return i }
      i += 1
    }
    return n
  }
}
