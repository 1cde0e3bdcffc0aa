// TEMPORARY stub until the real stemmer lands.
struct PorterStemmer: Sendable {
  func stem(_ word: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) {
    output.removeAll(keepingCapacity: true)
    output.append(contentsOf: word)
  }
}
