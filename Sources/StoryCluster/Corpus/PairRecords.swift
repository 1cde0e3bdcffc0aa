/// Reads JSON Lines files of article pairs (`{"a": id, "b": id, KEY: value}` per line), the
/// form of graded pairs (``GradedPairs``) and labelled pairs (``LabelledPairs``): one record per
/// non-blank line, every bad line a located problem, all of them reported together.
enum PairRecords {
  /// Reads `path`, turning each non-blank line's `a`, `b` and `key` into a record with `make`
  /// (which returns `nil` for a value it does not accept).
  ///
  /// - Parameters:
  ///   - path: The JSON Lines file.
  ///   - key: The third field's key (`score`, `label`).
  ///   - invalid: The problem for a line that is not a pair record.
  ///   - make: The record from `a`, `b`, the third value and the line's location, or `nil`.
  /// - Returns: The records in file order.
  /// - Throws: ``CorpusError/unreadable(_:reason:)`` when the file cannot be read, else every
  ///   invalid line's problem, in line order.
  /// - Complexity: O(bytes).
  static func read<Record>(
    _ path: String, key: String, invalid: (SourceLocation) -> CorpusError,
    make: (String, String, JSONObjectParser.Value, SourceLocation) -> Record?
  ) throws(CorpusProblems) -> [Record] {
    let bytes: [UInt8]
    do throws(CorpusError) {
      bytes = try FileBytes.read(path: path)
    } catch {
      throw CorpusProblems(problems: [error])
    }
    let keys: [[UInt8]] = [Array("a".utf8), Array("b".utf8), Array(key.utf8)]
    var records: [Record] = []
    var problems: [CorpusError] = []
    bytes.withUnsafeBufferPointer { all in
      let buffer = skippingBOM(all)
      forEachLine(buffer) { range, line in
        let text = UnsafeBufferPointer(rebasing: buffer[range])
        if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
        let location = SourceLocation(path: path, line: line)
        var a: String?
        var b: String?
        var value: JSONObjectParser.Value?
        var isValid = firstInvalidUTF8(text) == nil
        if isValid {
          var parser = JSONObjectParser(text)
          do throws(JSONObjectParser.Failure) {
            try parser.parseObject(wanted: { k in keys.firstIndex { $0.elementsEqual(k) } }) {
              slot, field in
              switch (slot, field) {
              case (0, .string(let s)): a = s
              case (1, .string(let s)): b = s
              case (0, _): a = nil
              case (1, _): b = nil
              default: value = field
              }
            }
          } catch {
            isValid = false
          }
        }
        if isValid, let a, let b, let value, let record = make(a, b, value, location) {
          records.append(record)
        } else {
          problems.append(invalid(location))
        }
      }
    }
    if !problems.isEmpty { throw CorpusProblems(problems: problems) }
    return records
  }
}
