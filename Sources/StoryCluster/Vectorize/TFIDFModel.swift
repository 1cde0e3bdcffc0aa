#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// A fitted TF-IDF vectorizer: the sorted vocabulary and its idf weights.
///
/// Produced by ``TFIDFVectorizer/fitTransform(texts:threads:)``, so an unfitted model cannot
/// exist. ``transform(texts:threads:)`` weights new texts with the learned vocabulary and ignores
/// terms outside it (scikit-learn `transform`).
///
/// ```swift
/// let (model, _) = try TFIDFVectorizer().fitTransform(texts: corpus)
/// let rows = model.transform(texts: ["a new article"])
/// ```
public struct TFIDFModel: Sendable {
  /// The parameters it was fitted with.
  public let configuration: TFIDFVectorizer.Configuration
  /// The terms, in column order (sorted by UTF-8 bytes).
  public let vocabulary: [String]
  /// The idf weight of each column.
  public let idf: [Double]
  /// Every term seen while fitting, pruned ones included, and each one's column (-1 when pruned).
  private let table: TermTable
  private let columns: [Int32]

  /// Creates a model from the fitting table and its map from term ids to columns.
  init(
    configuration: TFIDFVectorizer.Configuration, vocabulary: [String], idf: [Double],
    table: TermTable, columns: [Int32]
  ) {
    precondition(columns.count == table.count && idf.count == vocabulary.count)
    self.configuration = configuration
    self.vocabulary = vocabulary
    self.idf = idf
    self.table = table
    self.columns = columns
  }

  /// The column of `term`, or `nil` when it is not in the vocabulary.
  ///
  /// - Complexity: Expected O(length of `term`).
  public func column(of term: String) -> Int? {
    var t = term
    let id = t.withUTF8 { table.find($0) }
    return id >= 0 && columns[Int(id)] >= 0 ? Int(columns[Int(id)]) : nil
  }

  /// Weights `texts` with the fitted vocabulary and idf.
  ///
  /// - Parameters:
  ///   - texts: The texts to transform.
  ///   - threads: Tokenizer threads (0 = all cores); the result does not depend on it.
  /// - Returns: One CSR row per text.
  /// - Complexity: O(total text bytes + nnz log nnz) time; O(nnz) memory.
  public func transform(texts: [String], threads: Int = 0) -> SparseMatrix {
    let n = texts.count
    let workers = max(1, min(effectiveThreadCount(threads), (n + 255) / 256))
    let per = (n + workers - 1) / workers
    let chunks = parallelMap(workers, threads: workers) { w -> CountedChunks.Chunk in
      let lower = min(n, w * per)
      let upper = min(n, lower + per)
      return CountedChunks.countChunk(
        texts, lower..<upper, analyzer: configuration.analyzer, table: table, lookupOnly: true)
    }
    let maps = chunks.map { _ in columns }
    return assemble(CountedChunks(chunks: chunks), columnMaps: maps, threads: workers)
  }
}
