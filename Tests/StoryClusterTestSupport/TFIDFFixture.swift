/// A scikit-learn TF-IDF fixture written by `Tests/StoryClusterTests/Fixtures/make_fixtures.py`:
/// the documents (or the sample file they came from), the vocabulary, the idf weights and the
/// CSR matrix scikit-learn produced.
public struct TFIDFFixture: Decodable, Sendable {
  /// One document of a fixture that carries its texts.
  public struct Document: Decodable, Sendable {
    /// Its id.
    public var id: String
    /// Its text.
    public var text: String
  }

  /// The scikit-learn version that wrote it.
  public var sklearnVersion: String
  /// Row ids.
  public var ids: [String]
  /// Column terms.
  public var vocabulary: [String]
  /// Per column, scikit-learn's idf.
  public var idf: [Double]
  /// CSR row starts.
  public var indptr: [Int]
  /// CSR columns.
  public var indices: [Int]
  /// CSR values.
  public var data: [Double]
  /// The sample file the documents came from, when they are not inline.
  public var source: String?
  /// The documents, when inline.
  public var documents: [Document]?

  enum CodingKeys: String, CodingKey {
    case sklearnVersion = "sklearn_version"
    case ids, vocabulary, idf, indptr, indices, data, source, documents
  }
}
