/// The vectorising stage's result: the fitted TF-IDF model, the corpus's rows under it, and each
/// row's exact-text fingerprint.
///
/// Rows are L2-normalised (with the news and scikit-learn defaults, ``Norm/l2``), so the dot
/// product of two rows is their cosine. ``Engine/vectorize(_:)`` fits the model on the corpus;
/// ``Engine/vectorize(_:using:)`` enters the stage with a model fitted elsewhere.
///
/// ```swift
/// let engine = try Engine()
/// let vectors = try engine.vectorize(engine.analyse(CorpusReader().read(["seeds"])))
/// print(vectors.model.vocabulary.count, vectors.matrix.rowCount)
/// ```
///
/// - Complexity: O(nnz) for the matrix, O(V) for the model, O(N) for the fingerprints.
public struct Vectors: Sendable {
  /// The vocabulary (sorted by term) and its idf weights.
  public let model: TFIDFModel
  /// One row per article, columns indexing ``TFIDFModel/vocabulary``.
  public let matrix: SparseMatrix
  /// Per row, a hash of the normalised word tokens: equal fingerprints mark `exact` pairs.
  package let fingerprints: [Normalizer.Fingerprint]

  /// Creates the stage's result.
  package init(model: TFIDFModel, matrix: SparseMatrix, fingerprints: [Normalizer.Fingerprint]) {
    self.model = model
    self.matrix = matrix
    self.fingerprints = fingerprints
  }
}
