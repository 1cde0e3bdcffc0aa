#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

extension TFIDFModel {
  /// Builds weighted, normalised CSR rows from per-chunk counts and each chunk's map from its
  /// term ids to columns (-1 for pruned terms).
  ///
  /// Each chunk writes its rows straight into the final `columns` and `values` arrays, at an
  /// offset known in advance (the chunk's entry count, after pruning), so the chunks run in
  /// parallel and nothing is copied afterwards. Within a row the entries are sorted by column
  /// as packed `column << 32 | count` keys, then weighted, and the norm is summed in column
  /// order, so every value is the same for any thread count.
  ///
  /// - Complexity: O(nnz log(longest row)) time; O(longest row) scratch per chunk.
  func assemble(_ counted: CountedChunks, columnMaps: [[Int32]], threads: Int) -> SparseMatrix {
    let chunks = counted.chunks
    let isPruned = columnMaps.contains { $0.contains(-1) }
    var documentBases = [0]
    var entryBases = [0]
    let keptCounts =
      isPruned
      ? parallelMap(chunks.count, threads: threads) { c in
        Self.keptCount(chunks[c], map: columnMaps[c])
      } : chunks.map(\.termIDs.count)
    for (chunk, kept) in zip(chunks, keptCounts) {
      documentBases.append(documentBases[documentBases.count - 1] + chunk.starts.count - 1)
      entryBases.append(entryBases[entryBases.count - 1] + kept)
    }
    let rowCount = documentBases[documentBases.count - 1]
    let nnz = entryBases[entryBases.count - 1]
    var rowStarts = [Int](repeating: 0, count: rowCount + 1)
    var values: [Float] = []
    let columns = uninitializedArray(count: nnz) {
      (columnBuffer: inout UnsafeMutableBufferPointer<Int32>, columnCount) in
      values = uninitializedArray(count: nnz) {
        (valueBuffer: inout UnsafeMutableBufferPointer<Float>, valueCount) in
        rowStarts.withUnsafeMutableBufferPointer { rowBuffer in
          nonisolated(unsafe) let output = (rowBuffer, columnBuffer, valueBuffer)
          parallelForEach(chunks.count, threads: threads) { c in
            fill(
              chunks[c], map: columnMaps[c], rowStarts: output.0, firstRow: documentBases[c],
              columns: output.1, values: output.2, firstEntry: entryBases[c])
          }
        }
        valueCount = nnz
      }
      columnCount = nnz
    }
    let matrix = SparseMatrix(
      columnCount: vocabulary.count, rowStarts: rowStarts, columns: columns, values: values)
    #if STORYCLUSTER_INTERNAL_CHECKS
      matrix._checkInvariants()
    #endif
    return matrix
  }

  // MARK: - Internals

  /// The number of entries of `chunk` whose term has a column.
  private static func keptCount(_ chunk: CountedChunks.Chunk, map: [Int32]) -> Int {
    var kept = 0
    for id in chunk.termIDs where map[Int(id)] >= 0 { kept += 1 }
    return kept
  }

  /// Writes the rows of `chunk` as rows `firstRow…` and entries `firstEntry…` of the output.
  private func fill(
    _ chunk: CountedChunks.Chunk, map: [Int32], rowStarts: UnsafeMutableBufferPointer<Int>,
    firstRow: Int, columns: UnsafeMutableBufferPointer<Int32>,
    values: UnsafeMutableBufferPointer<Float>, firstEntry: Int
  ) {
    let sublinear = configuration.isSublinearTF
    let norm = configuration.norm
    var longest = 0
    for d in 0..<(chunk.starts.count - 1) {
      longest = max(longest, chunk.starts[d + 1] - chunk.starts[d])
    }
    var keys = [UInt64](repeating: 0, count: longest)
    var weights = [Double](repeating: 0, count: longest)
    var sorter = ColumnSorter(columnCount: vocabulary.count)
    var out = firstEntry
    chunk.termIDs.withUnsafeBufferPointer { ids in
      chunk.counts.withUnsafeBufferPointer { counts in
        map.withUnsafeBufferPointer { map in
          idf.withUnsafeBufferPointer { idf in
            keys.withUnsafeMutableBufferPointer { keys in
              weights.withUnsafeMutableBufferPointer { weights in
                for d in 0..<(chunk.starts.count - 1) {
                  var k = 0
                  for e in chunk.starts[d]..<chunk.starts[d + 1] {
                    let column = map[Int(ids[e])]
                    if column < 0 { continue }
                    keys[k] = UInt64(UInt32(column)) << 32 | UInt64(UInt32(counts[e]))
                    k += 1
                  }
                  sorter.sort(keys, count: k)
                  var sum = 0.0
                  for j in 0..<k {
                    let count = Double(UInt32(truncatingIfNeeded: keys[j]))
                    let tf = sublinear ? 1 + log(count) : count
                    let w = tf * idf[Int(keys[j] >> 32)]
                    weights[j] = w
                    sum += norm.size(of: w)
                  }
                  let scale = norm.scale(forSizes: sum)
                  for j in 0..<k {
                    columns[out + j] = Int32(truncatingIfNeeded: keys[j] >> 32)
                    values[out + j] = Float(weights[j] * scale)
                  }
                  out += k
                  rowStarts[firstRow + d + 1] = out
                }
              }
            }
          }
        }
      }
    }
  }
}

/// Sorts one row's `column << 32 | count` keys by column without comparisons when the row is
/// long: each key is parked in a dense slot array and its column marked in a two-level bitmap,
/// then the bitmap is read back in order with count-trailing-zeros. Short rows use insertion
/// sort, and rows that are short next to a huge vocabulary use the standard library's sort.
///
/// Columns within a row are distinct, which the bitmap relies on.
///
/// - Complexity: O(k + columns / 4096) per row of k keys; O(columns) memory.
struct ColumnSorter {
  private var slots: [UInt64]
  private var words: [UInt64]
  private var summary: [UInt64]

  init(columnCount: Int) {
    slots = [UInt64](repeating: 0, count: max(columnCount, 1))
    words = [UInt64](repeating: 0, count: (columnCount + 63) / 64)
    summary = [UInt64](repeating: 0, count: (words.count + 63) / 64)
  }

  /// Sorts the first `count` keys of `keys` ascending; every column must be below the column
  /// count and appear once.
  mutating func sort(_ keys: UnsafeMutableBufferPointer<UInt64>, count: Int) {
    guard count > 1, let base = keys.baseAddress else { return }
    if count <= 16 {
      for i in 1..<count {
        let key = base[i]
        var j = i
        while j > 0 && base[j - 1] > key {
          base[j] = base[j - 1]
          j -= 1
        }
        base[j] = key
      }
      return
    }
    if summary.count > count * 4 {
      var buffer = UnsafeMutableBufferPointer(start: base, count: count)
      buffer.sort()
      return
    }
    slots.withUnsafeMutableBufferPointer { slots in
      words.withUnsafeMutableBufferPointer { words in
        summary.withUnsafeMutableBufferPointer { summary in
          for i in 0..<count {
            let key = base[i]
            let column = Int(key >> 32)
            slots[column] = key
            words[column >> 6] |= 1 << UInt64(column & 63)
            summary[column >> 12] |= 1 << UInt64((column >> 6) & 63)
          }
          var out = 0
          for s in 0..<summary.count {
            var high = summary[s]
            if high == 0 { continue }
            summary[s] = 0
            while high != 0 {
              let w = s << 6 | high.trailingZeroBitCount
              high &= high &- 1
              var low = words[w]
              words[w] = 0
              while low != 0 {
                base[out] = slots[w << 6 | low.trailingZeroBitCount]
                out += 1
                low &= low &- 1
              }
            }
          }
        }
      }
    }
  }
}
