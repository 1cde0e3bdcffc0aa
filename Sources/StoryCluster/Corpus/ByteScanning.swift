/// Word-at-a-time byte scans for the readers' hot loops.
///
/// Each scan reads eight bytes at a time as one little-endian `UInt64` and marks the bytes it
/// looks for with the high bit of their byte (S. E. Anderson, *Bit Twiddling Hacks*, "Determine if
/// a word has a zero byte" and "has a byte less than n"). A mark can be wrong only above a true
/// one (a borrow runs upward), so the lowest mark is always exact: the scan jumps straight to it
/// (`trailingZeroBitCount / 8`), and results are the same as a plain byte loop's.
enum ByteScanning {
  /// `0x01` in every byte.
  static let ones: UInt64 = 0x0101_0101_0101_0101
  /// `0x80` in every byte.
  static let highs: UInt64 = 0x8080_8080_8080_8080

  /// Marks the zero bytes of `word`; the lowest mark is exact.
  @inline(__always)
  static func zeroBytes(_ word: UInt64) -> UInt64 {
    (word &- ones) & ~word & highs
  }

  /// Marks the bytes of `word` equal to `byte`; the lowest mark is exact.
  @inline(__always)
  static func bytes(_ word: UInt64, equalTo byte: UInt8) -> UInt64 {
    zeroBytes(word ^ (ones &* UInt64(byte)))
  }

  /// Marks the bytes of `word` below `bound` (at most 128); the lowest mark is exact.
  @inline(__always)
  static func bytes(_ word: UInt64, below bound: UInt8) -> UInt64 {
    (word &- ones &* UInt64(bound)) & ~word & highs
  }

  /// Marks the bytes of `word` that are not ASCII (exact).
  @inline(__always)
  static func nonASCIIBytes(_ word: UInt64) -> UInt64 { word & highs }

  /// The offset within the word of the lowest marked byte (`mask` non-zero).
  @inline(__always)
  static func firstMarked(_ mask: UInt64) -> Int { mask.trailingZeroBitCount >> 3 }

  /// The eight bytes at `offset` of `base`, the first in the lowest bits.
  @inline(__always)
  static func word(_ base: UnsafePointer<UInt8>, at offset: Int) -> UInt64 {
    UInt64(
      littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }

  /// The offset of the first `target` byte in `bytes[from..<to]`, or `to`.
  static func firstIndex(of target: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int)
    -> Int
  {
    var i = from
    if let base = bytes.baseAddress {
      while i + 8 <= to {
        let mask = Self.bytes(word(base, at: i), equalTo: target)
        if mask != 0 { return i + firstMarked(mask) }
        i += 8
      }
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
        let mask = Self.bytes(w, equalTo: 0x0A) | Self.bytes(w, equalTo: 0x0D)
        if mask != 0 { return i + firstMarked(mask) }
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
