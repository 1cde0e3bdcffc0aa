/// A byte-keyed hash table that interns terms as dense ids `0, 1, 2, …` in insertion order.
///
/// Keys are UTF-8 byte strings stored back to back in one arena. The table is open addressing
/// with linear probing over a power-of-two array of two-word slots: the key's first eight bytes
/// (zero-padded), then a signature (the slot hash's top 16 bits and the key length) with the id. A
/// probe therefore settles keys of up to eight bytes, most words, from the slot alone, and reads
/// the arena only to confirm longer keys whose first eight bytes, length and signature all match.
/// No `String` is built on the hot path.
///
/// - Complexity: `insert` and `find` take expected O(key length); memory is O(total key bytes +
///   terms).
struct TermTable: Sendable {
  private(set) var arena: [UInt8] = []
  private(set) var starts: [Int] = [0]
  private var hashes: [UInt64] = []
  /// `2 × size` words: slot `s` is `slots[2s]` (the key prefix) and `slots[2s + 1]` (signature
  /// in the high 32 bits, id + 1 in the low 32 bits; 0 when empty).
  private var slots: [UInt64]
  private var mask: Int

  /// Creates an empty table sized for about `capacity` terms.
  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [UInt64](repeating: 0, count: size * 2)
    mask = size - 1
  }

  /// The number of terms.
  var count: Int { hashes.count }

  /// The id of `key`, inserting it when absent.
  @inline(__always)
  mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
    let (h, prefix) = Self.slotHashAndPrefix(key)
    let probe = locate(key, hash: h, prefix: prefix)
    if probe.id >= 0 { return probe.id }
    let id = Int32(hashes.count)
    hashes.append(h)
    arena.append(contentsOf: key)
    starts.append(arena.count)
    slots[2 &* probe.slot] = prefix
    slots[2 &* probe.slot &+ 1] = Self.signature(h, key.count) | UInt64(UInt32(id) &+ 1)
    // Grow past three quarters full: at half full, the slots of Reuters' vocabulary took 2 MiB,
    // more than a core's L2 cache; linear probes stay short at this load.
    if hashes.count * 4 > (mask + 1) * 3 { grow() }
    return id
  }

  /// The id of `key`, or -1 when it is absent.
  @inline(__always)
  func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
    let (h, prefix) = Self.slotHashAndPrefix(key)
    return locate(key, hash: h, prefix: prefix).id
  }

  /// Calls `body` with the bytes of term `id`.
  func withTerm<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    arena.withUnsafeBufferPointer {
      body(UnsafeBufferPointer(rebasing: $0[starts[id]..<starts[id + 1]]))
    }
  }

  /// Term `id` as a string.
  func term(_ id: Int) -> String {
    withTerm(id) { String(decoding: $0, as: UTF8.self) }
  }

  /// Term ids sorted by their bytes (the order of Python's `sorted` on str, since UTF-8 byte
  /// order is code-point order).
  ///
  /// Each term is keyed by its first eight bytes read big-endian (zero-padded), so most
  /// comparisons are one integer comparison; equal keys fall back to the full bytes. The two
  /// halves of the ids are sorted on two threads and merged; the order is total, so the result
  /// does not depend on `threads`.
  ///
  /// - Complexity: O(t log t) comparisons for t terms; O(t) memory.
  func sortedIDs(threads: Int = 1) -> [Int32] {
    let n = count
    var keys = [SortKey](repeating: SortKey(prefix: 0, id: 0), count: n)
    arena.withUnsafeBufferPointer { a in
      for id in 0..<n {
        var prefix: UInt64 = 0
        let start = starts[id]
        let length = min(8, starts[id + 1] - start)
        for k in 0..<length { prefix |= UInt64(a[start + k]) << UInt64(56 - 8 * k) }
        keys[id] = SortKey(prefix: prefix, id: Int32(id))
      }
    }
    let half = n / 2
    let parts: [[SortKey]] = parallelMap(2, threads: threads) { p in
      var part = Array(keys[(p == 0 ? 0 : half)..<(p == 0 ? half : n)])
      arena.withUnsafeBufferPointer { a in
        part.sort { x, y in Self.precedes(x, y, arena: a, starts: starts) }
      }
      return part
    }
    var ids: [Int32] = []
    ids.reserveCapacity(n)
    arena.withUnsafeBufferPointer { a in
      var i = 0
      var j = 0
      let left = parts[0]
      let right = parts[1]
      while i < left.count && j < right.count {
        if Self.precedes(right[j], left[i], arena: a, starts: starts) {
          ids.append(right[j].id)
          j += 1
        } else {
          ids.append(left[i].id)
          i += 1
        }
      }
      while i < left.count {
        ids.append(left[i].id)
        i += 1
      }
      while j < right.count {
        ids.append(right[j].id)
        j += 1
      }
    }
    return ids
  }

  // MARK: - Internals

  /// A term's first eight bytes as a big-endian word, and its id.
  struct SortKey {
    var prefix: UInt64
    var id: Int32
  }

  /// Whether term `x` sorts before term `y` by bytes.
  @inline(__always)
  private static func precedes(
    _ x: SortKey, _ y: SortKey, arena: UnsafeBufferPointer<UInt8>, starts: [Int]
  ) -> Bool {
    if x.prefix != y.prefix { return x.prefix < y.prefix }
    let xs = arena[starts[Int(x.id)]..<starts[Int(x.id) + 1]]
    let ys = arena[starts[Int(y.id)]..<starts[Int(y.id) + 1]]
    return xs.lexicographicallyPrecedes(ys)
  }

  /// The id of `key` and its slot, or -1 and the empty slot where it would go.
  @inline(__always)
  private func locate(_ key: UnsafeBufferPointer<UInt8>, hash h: UInt64, prefix: UInt64)
    -> (id: Int32, slot: Int)
  {
    let signature = Self.signature(h, key.count)
    var s = Int(truncatingIfNeeded: h) & mask
    while true {
      let meta = slots[2 &* s &+ 1]
      if meta == 0 { return (-1, s) }
      if meta & 0xFFFF_FFFF_0000_0000 == signature && slots[2 &* s] == prefix {
        let id = Int(meta & 0xFFFF_FFFF) &- 1
        if key.count <= 8 || equals(id, key) { return (Int32(id), s) }
      }
      s = (s &+ 1) & mask
    }
  }

  /// The slot signature of a key: its hash's top 16 bits, then its length (capped at 0xFFFF).
  @inline(__always)
  private static func signature(_ h: UInt64, _ length: Int) -> UInt64 {
    h & 0xFFFF_0000_0000_0000 | UInt64(min(length, 0xFFFF)) << 32
  }

  private func equals(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = starts[id]
    let length = starts[id + 1] - start
    guard length == key.count else { return false }
    return arena.withUnsafeBufferPointer { a in
      guard let base = a.baseAddress, let k = key.baseAddress else { return length == 0 }
      return memcmpBytes(base + start, k, length)
    }
  }

  private mutating func grow() {
    let old = slots
    let size = (mask + 1) * 2
    slots = [UInt64](repeating: 0, count: size * 2)
    mask = size - 1
    for o in stride(from: 0, to: old.count, by: 2) where old[o + 1] != 0 {
      let id = Int(old[o + 1] & 0xFFFF_FFFF) - 1
      var s = Int(truncatingIfNeeded: hashes[id]) & mask
      while slots[2 * s + 1] != 0 { s = (s + 1) & mask }
      slots[2 * s] = old[o]
      slots[2 * s + 1] = old[o + 1]
    }
  }

  /// A 64-bit hash reading eight bytes at a time (multiply-xorshift mixing).
  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    hashAndPrefix(key).hash
  }

  /// The table's own hash of a key, with the key's first eight bytes as in ``hashAndPrefix(_:)``.
  ///
  /// Cheaper than ``hash(_:)``, which fingerprints keep: a key of up to eight bytes costs one
  /// multiply and one xorshift of its (zero-padded) word, and each further word one more round.
  /// Keys that differ only in trailing zero bytes collide here, and the slot's length and the
  /// byte comparison tell them apart. Only the table sees these values, so they never reach
  /// output.
  @inline(__always)
  static func slotHashAndPrefix(_ key: UnsafeBufferPointer<UInt8>) -> (
    hash: UInt64, prefix: UInt64
  ) {
    guard let base = UnsafeRawPointer(key.baseAddress) else { return (0, 0) }
    let n = key.count
    if n <= 8 {
      let word = Self.tail(base, 0, n)
      let h = word &* 0x9E37_79B9_7F4A_7C15
      return (h ^ (h >> 29), word)
    }
    let prefix = base.loadUnaligned(as: UInt64.self)
    var h = prefix &* 0x9E37_79B9_7F4A_7C15
    var i = 8
    while i + 8 <= n {
      let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      h = (h ^ (h >> 29) ^ w) &* 0xBF58_476D_1CE4_E5B9
      i += 8
    }
    if i < n { h = (h ^ (h >> 29) ^ Self.tail(base, i, n - i)) &* 0x94D0_49BB_1331_11EB }
    return (h ^ (h >> 29), prefix)
  }

  /// The `k` (at most 8) bytes at `base + i` as a little-endian word, zero-padded, read with
  /// overlapping loads that stay within the bytes.
  @inline(__always)
  private static func tail(_ base: UnsafeRawPointer, _ i: Int, _ k: Int) -> UInt64 {
    if k == 8 { return base.loadUnaligned(fromByteOffset: i, as: UInt64.self) }
    if k >= 4 {
      let low = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
      let high = UInt64(
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i + k - 4, as: UInt32.self)))
      return low | high << UInt64(8 * (k - 4))
    }
    if k >= 2 {
      let low = UInt64(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt16.self)))
      let high = UInt64(
        UInt16(littleEndian: base.loadUnaligned(fromByteOffset: i + k - 2, as: UInt16.self)))
      return low | high << UInt64(8 * (k - 2))
    }
    return k == 1 ? UInt64(base.load(fromByteOffset: i, as: UInt8.self)) : 0
  }

  /// ``hash(_:)`` and the key's first eight bytes as a little-endian word, zero-padded.
  ///
  /// The last `n mod 8` bytes are read as two overlapping 4- or 2-byte loads, which gives the
  /// same word as reading them one by one, without reading past the key.
  @inline(__always)
  static func hashAndPrefix(_ key: UnsafeBufferPointer<UInt8>) -> (hash: UInt64, prefix: UInt64) {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
    guard let base = UnsafeRawPointer(key.baseAddress) else { return (h, 0) }
    var i = 0
    let n = key.count
    var prefix: UInt64 = 0
    while i + 8 <= n {
      let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      if i == 0 { prefix = w }
      h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
      h ^= h >> 31
      i += 8
    }
    let k = n - i
    var tail: UInt64 = 0
    if k >= 4 {
      let low = UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
      let high = UInt64(
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i + k - 4, as: UInt32.self)))
      tail = low | high << UInt64(8 * (k - 4))
    } else if k >= 2 {
      let low = UInt64(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt16.self)))
      let high = UInt64(
        UInt16(littleEndian: base.loadUnaligned(fromByteOffset: i + k - 2, as: UInt16.self)))
      tail = low | high << UInt64(8 * (k - 2))
    } else if k == 1 {
      tail = UInt64(base.load(fromByteOffset: i, as: UInt8.self))
    }
    if n < 8 { prefix = tail }
    h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
    h ^= h >> 29
    h = h &* 0xBF58_476D_1CE4_E5B9
    h ^= h >> 32
    return (h, prefix)
  }
}

/// Byte equality of two ranges of `length` bytes.
@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
  var i = 0
  let ra = UnsafeRawPointer(a)
  let rb = UnsafeRawPointer(b)
  while i + 8 <= length {
    if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self)
    {
      return false
    }
    i += 8
  }
  while i < length {
    if a[i] != b[i] { return false }
    i += 1
  }
  return true
}
