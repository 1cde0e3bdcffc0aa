import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// The CSR check that `STORYCLUSTER_INTERNAL_CHECKS` runs after vectorising, on matrices that
/// keep the canonical form and on ones broken one way each.
struct SparseMatrixInvariantsTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var matrix: SparseMatrix
    var violation: String
    var testDescription: String { name }
  }

  static let broken: [Case] = [
    Case(
      name: "row offsets decrease",
      matrix: SparseMatrix(
        columnCount: 3, rowStarts: [0, 2, 1, 2], columns: [0, 1], values: [1, 1]),
      violation: "row 1: rowStarts decreases from 2 to 1"),
    Case(
      name: "column past the vocabulary",
      matrix: SparseMatrix(columnCount: 2, rowStarts: [0, 2], columns: [0, 2], values: [1, 1]),
      violation: "row 0, entry 1: column 2 outside 0..<2"),
    Case(
      name: "negative column",
      matrix: SparseMatrix(columnCount: 2, rowStarts: [0, 1], columns: [-1], values: [1]),
      violation: "row 0, entry 0: column -1 outside 0..<2"),
    Case(
      name: "columns decrease within a row",
      matrix: SparseMatrix(columnCount: 3, rowStarts: [0, 2], columns: [1, 0], values: [1, 1]),
      violation: "row 0, entry 1: column 0 does not follow column 1"),
    Case(
      name: "column repeated within a row",
      matrix: SparseMatrix(columnCount: 3, rowStarts: [0, 2], columns: [1, 1], values: [1, 1]),
      violation: "row 0, entry 1: column 1 does not follow column 1"),
    // Row 0 ends on column 2 and row 1 starts again at 1: only order within a row counts.
    Case(
      name: "second row unsorted",
      matrix: SparseMatrix(
        columnCount: 3, rowStarts: [0, 1, 3], columns: [2, 1, 1], values: [1, 1, 1]),
      violation: "row 1, entry 2: column 1 does not follow column 1"),
  ]

  @Test(arguments: broken)
  func brokenMatrixIsReported(_ c: Case) {
    #expect(c.matrix.invariantViolation() == c.violation)
  }

  @Test func canonicalMatricesPass() throws {
    let example = SparseMatrix(
      columnCount: 3, rowStarts: [0, 2], columns: [0, 2], values: [0.6, 0.8])
    #expect(example.invariantViolation() == nil)
    let empty = SparseMatrix(columnCount: 0, rowStarts: [0], columns: [], values: [])
    #expect(empty.invariantViolation() == nil)
    // Empty rows between full ones; columns may restart lower in the next row.
    let gaps = SparseMatrix(
      columnCount: 4, rowStarts: [0, 0, 2, 2, 3], columns: [1, 3, 0], values: [0.6, 0.8, 1])
    #expect(gaps.invariantViolation() == nil)
    let random = SimilarityKernelTests.randomMatrix(rows: 200, columns: 60, seed: 3)
    #expect(random.invariantViolation() == nil)
    let texts = [
      "Storm floods the coast", "The storm flooded coastal towns", "", "Markets rally on rate cut",
    ]
    let (model, matrix) = try TFIDFVectorizer().fitTransform(texts: texts, threads: 2)
    #expect(matrix.invariantViolation() == nil)
    #expect(model.transform(texts: texts.reversed(), threads: 2).invariantViolation() == nil)
  }
}
