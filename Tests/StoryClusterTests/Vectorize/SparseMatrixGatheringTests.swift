import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// `SparseMatrix.gathering`: the rows asked for, in their order, copied whole (what collapsing
/// copies and ordering rows by date read).
struct SparseMatrixGatheringTests {
  /// Three rows, the middle one empty.
  static let small = SparseMatrix(
    columnCount: 4, rowStarts: [0, 2, 2, 5], columns: [0, 3, 0, 1, 2],
    values: [0.6, 0.8, 0.5, 0.5, 0.7])

  @Test func rowsComeInTheOrderAskedWithRepeatsAndEmptyRows() {
    let gathered = Self.small.gathering([2, 1, 0, 2])
    #expect(gathered.columnCount == 4)
    #expect(gathered.rowStarts == [0, 3, 3, 5, 8])
    #expect(gathered.columns == [0, 1, 2, 0, 3, 0, 1, 2])
    #expect(gathered.values == [0.5, 0.5, 0.7, 0.6, 0.8, 0.5, 0.5, 0.7])
    #expect(gathered.invariantViolation() == nil)
  }

  @Test func noRowsAndOnlyEmptyRows() {
    let none = Self.small.gathering([Int]())
    #expect(none.rowStarts == [0] && none.columns.isEmpty && none.values.isEmpty)
    let empty = Self.small.gathering([Int32(1), 1])
    #expect(empty.rowStarts == [0, 0, 0] && empty.nonZeroCount == 0)
  }

  /// On the ECB+ sample's TF-IDF rows: a seeded shuffle gives each row back as it was, and
  /// gathering by the inverse order gives the matrix back.
  @Test func aShuffleOfRealRowsGoesBack() throws {
    let corpus = CorpusReader().read([RepositoryPaths.sample("ecbplus-dev-sample.jsonl")])
    let (_, matrix) = try TFIDFVectorizer().fitTransform(texts: corpus.articles.map(\.text))
    #expect(matrix.rowCount > 50)
    var generator = SeededGenerator(seed: 17)
    let order = Array(0..<matrix.rowCount).shuffled(using: &generator)
    let shuffled = matrix.gathering(order)
    for (k, row) in order.enumerated() {
      #expect(shuffled.row(k).map(\.column) == matrix.row(row).map(\.column))
      #expect(shuffled.row(k).map(\.value) == matrix.row(row).map(\.value))
    }
    var inverse = [Int](repeating: 0, count: order.count)
    for (k, row) in order.enumerated() { inverse[row] = k }
    #expect(shuffled.gathering(inverse) == matrix)
  }
}
