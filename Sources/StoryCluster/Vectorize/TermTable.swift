/// A byte-keyed hash table that interns terms as dense ids `0, 1, 2, …` in insertion order.
///
/// Keys are UTF-8 byte strings stored back to back in one arena; the table is open addressing
/// with linear probing over a power-of-two slot array and keeps each key's 64-bit hash, so a probe
/// compares bytes only on a hash match. No `String` is built on the hot path.
///
/// - Complexity: `insert` and `find` take expected O(key length); memory is O(total key bytes +
///   terms).
struct TermTable: Sendable {
  private(set) var arena: [UInt8] = []
  private(set) var starts: [Int] = [0]
  private var hashes: [UInt64] = []
  private var slots: [Int32]
  private var mask: Int

  /// Creates an empty table sized for about `capacity` terms.
  init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
  }

  /// The number of terms.
  var count: Int { hashes.count }

  /// The id of `key`, inserting it when absent.
  @inline(__always)
  mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
    let h = Self.hash(key)
    var s = Int(truncatingIfNeeded: h) & mask
    while true {
      let id = slots[s]
      if id < 0 { break }
      if hashes[Int(id)] == h && equals(Int(id), key) { return id }
      s = (s + 1) & mask
    }
    let id = Int32(hashes.count)
    hashes.append(h)
    arena.append(contentsOf: key)
    starts.append(arena.count)
    slots[s] = id
    if hashes.count * 2 > slots.count { grow() }
    return id
  }

  /// The id of `key`, or -1 when it is absent.
  @inline(__always)
  func find(_ key: UnsafeBufferPointer<UInt8>) -> Int32 {
    let h = Self.hash(key)
    var s = Int(truncatingIfNeeded: h) & mask
    while true {
      let id = slots[s]
      if id < 0 { return -1 }
      if hashes[Int(id)] == h && equals(Int(id), key) { return id }
      s = (s + 1) & mask
    }
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
  func sortedIDs() -> [Int32] {
    var ids = (0..<Int32(count)).map { $0 }
    arena.withUnsafeBufferPointer { a in
      ids.sort { x, y in
        let xs = a[starts[Int(x)]..<starts[Int(x) + 1]]
        let ys = a[starts[Int(y)]..<starts[Int(y) + 1]]
        return xs.lexicographicallyPrecedes(ys)
      }
    }
    return ids
  }

  // MARK: - Internals

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
    let size = slots.count * 2
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
    for (id, h) in hashes.enumerated() {
      var s = Int(truncatingIfNeeded: h) & mask
      while slots[s] >= 0 { s = (s + 1) & mask }
      slots[s] = Int32(id)
    }
  }

  /// A 64-bit hash reading eight bytes at a time (multiply-xorshift mixing).
  @inline(__always)
  static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(key.count)
    guard let base = UnsafeRawPointer(key.baseAddress) else { return h }
    var i = 0
    let n = key.count
    while i + 8 <= n {
      let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
      h ^= h >> 31
      i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < n {
      tail |= UInt64(key[i]) << shift
      shift += 8
      i += 1
    }
    h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
    h ^= h >> 29
    h = h &* 0xBF58_476D_1CE4_E5B9
    h ^= h >> 32
    return h
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
