/// A story cluster: articles telling the same story.
///
/// ```swift
/// for cluster in report.clusters { print(cluster.id, cluster.key, cluster.label, cluster.members) }
/// ```
public struct Cluster: Sendable, Equatable, Codable {
  /// 1-based position in the report's cluster order (size descending, then smallest id).
  public var id: Int
  /// Member ids, in byte order.
  public var members: [String]
  /// The top terms of the members' summed TF-IDF vectors.
  public var label: [String]
  /// The member closest (by cosine) to the cluster's centroid; ties go to the smaller id.
  public var representative: String
  /// The member set's canonical key (``key(_:)``): the same members give the same key in any
  /// run, whatever else the corpus holds, so a store can keep it where ``id`` is only a rank.
  public var key: String

  /// The number of members.
  public var size: Int { members.count }

  /// Creates a cluster.
  ///
  /// - Parameters:
  ///   - id: Its 1-based rank in the report.
  ///   - members: Member ids in byte order.
  ///   - label: Top terms.
  ///   - representative: The member closest to the centroid.
  ///   - key: The member set's key; `nil` computes ``key(_:)`` of `members`.
  /// - Complexity: O(total bytes of the member ids) when the key is computed.
  public init(
    id: Int, members: [String], label: [String], representative: String, key: String? = nil
  ) {
    self.id = id
    self.members = members
    self.label = label
    self.representative = representative
    self.key = key ?? Self.key(members)
  }

  /// The canonical key of a member set: 16 lowercase hexadecimal digits of the 64-bit FNV-1a hash
  /// of the member ids in byte order, each followed by a 0 byte. Order-independent (the ids are
  /// sorted first); two different sets collide with probability about 2⁻⁶⁴ per pair.
  ///
  /// ```swift
  /// Cluster.key(["b", "a"]) == Cluster.key(["a", "b"])  // true
  /// ```
  ///
  /// - Parameter members: Member ids, in any order.
  /// - Returns: The key.
  /// - Complexity: O(m log m) comparisons and O(total bytes) hashing for m members.
  public static func key(_ members: [String]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    let sorted = members.sorted(by: idPrecedes)
    for id in sorted {
      for byte in id.utf8 {
        hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
      }
      hash = (hash ^ 0) &* 0x0000_0100_0000_01B3
    }
    let digits = Array("0123456789abcdef".utf8)
    var text = [UInt8](repeating: 0, count: 16)
    for k in 0..<16 { text[15 - k] = digits[Int((hash >> (4 * UInt64(k))) & 0xF)] }
    return String(decoding: text, as: UTF8.self)
  }
}

/// An input record that was left out, and why.
public struct SkippedArticle: Sendable, Equatable, Codable {
  /// Where it was.
  public var location: String
  /// What was wrong (the diagnostic without its location).
  public var reason: String

  /// Creates a skipped record.
  ///
  /// - Parameters:
  ///   - location: `file:line`, or the path.
  ///   - reason: The diagnostic without its location.
  public init(location: String, reason: String) {
    self.location = location
    self.reason = reason
  }
}

/// One article's nearest neighbours in the report.
public struct NeighborList: Sendable, Equatable, Codable {
  /// A neighbour and its cosine.
  public struct Entry: Sendable, Equatable, Codable {
    /// The neighbour's id.
    public var id: String
    /// The cosine of the two articles.
    public var score: Double

    /// Creates an entry.
    ///
    /// - Parameters:
    ///   - id: The neighbour's id.
    ///   - score: The cosine.
    public init(id: String, score: Double) {
      self.id = id
      self.score = score
    }
  }
  /// The article's id.
  public var id: String
  /// Its neighbours, by cosine descending, then row (id) order.
  public var neighbors: [Entry]

  /// Creates a list.
  ///
  /// - Parameters:
  ///   - id: The article's id.
  ///   - neighbors: Its neighbours in order.
  public init(id: String, neighbors: [Entry]) {
    self.id = id
    self.neighbors = neighbors
  }
}

/// The wall-clock time one stage took.
public struct StageTime: Sendable, Equatable, Codable {
  /// The stage's name (`vectorize`, `similarity`, `storygraph`, `cluster`, `describe`, `rank`).
  public var stage: String
  /// Its seconds.
  public var seconds: Double
  /// The process's peak resident set when the stage ended, in bytes (0 where unknown); the
  /// peak never falls, so the first stage that raises it is the one that holds the most.
  public var peakResidentBytes: Int

  /// Creates a lap.
  ///
  /// - Parameters:
  ///   - stage: The stage's name.
  ///   - seconds: Its wall-clock seconds.
  ///   - peakResidentBytes: The peak resident set when it ended (0 where unknown).
  public init(stage: String, seconds: Double, peakResidentBytes: Int = 0) {
    self.stage = stage
    self.seconds = seconds
    self.peakResidentBytes = peakResidentBytes
  }
}

/// The engine's answer: clusters, ranked pairs and the accounting that ties them to the input.
///
/// `articlesIn == articlesOut + skipped.count` always holds, and every article that was read is
/// in exactly one cluster. A report is data: `Codable` (for storing and sending) and `Equatable`
/// — two reports are equal when everything but the timings is, since timings are not part of
/// the result.
///
/// ```swift
/// let report = try Engine().run(CorpusReader().read(["seeds"]))
/// let data = try JSONEncoder().encode(report)
/// ```
public struct Report: Sendable, Codable {
  /// Records seen in the input (valid and invalid).
  public var articlesIn: Int
  /// Articles placed in clusters.
  public var articlesOut: Int
  /// Records left out (only with skip-invalid; otherwise the run stops before clustering).
  public var skipped: [SkippedArticle]
  /// Clusters in order (size descending, then smallest id).
  public var clusters: [Cluster]
  /// Ranked pairs (score descending, then ids).
  public var pairs: RankedPairs
  /// Each article's nearest neighbours, in article (id) order.
  public var neighbors: [NeighborList]
  /// The vocabulary size after pruning.
  public var vocabularySize: Int
  /// The settings used.
  public var configuration: EngineConfiguration
  /// The corpus's background (``Stories/background``): the mean story similarity of two of its
  /// articles in different stories of the first, liberal pass.
  public var background: Double
  /// The story-similarity threshold clustering used (``EngineConfiguration/lift`` times the
  /// background, or the absolute ``EngineConfiguration/threshold``).
  public var clusterThreshold: Double
  /// The similarity kernel's work counters.
  public var kernelStatistics: SimilarityResult.Statistics
  /// Wall-clock seconds per stage, in order (for `--verbose`; never part of the output, nor of
  /// equality).
  public var stageSeconds: [StageTime]

  /// The neighbour lists of the kernel's result, by id.
  static func neighborLists(_ neighbors: [[Neighbor]], ids: [String]) -> [NeighborList] {
    neighbors.enumerated().map { row, list in
      NeighborList(
        id: ids[row], neighbors: list.map { NeighborList.Entry(id: ids[$0.index], score: $0.score) }
      )
    }
  }
}

extension Report: Equatable {
  private static func untimed(_ s: SimilarityResult.Statistics) -> SimilarityResult.Statistics {
    var s = s
    s.denseSeconds = 0
    return s
  }

  /// Equal when every field but the timings (``stageSeconds`` and the kernel's
  /// ``SimilarityResult/Statistics/denseSeconds``) is.
  ///
  /// - Complexity: O(size of the report).
  public static func == (x: Report, y: Report) -> Bool {
    x.articlesIn == y.articlesIn && x.articlesOut == y.articlesOut && x.skipped == y.skipped
      && x.clusters == y.clusters && x.pairs == y.pairs && x.neighbors == y.neighbors
      && x.vocabularySize == y.vocabularySize && x.configuration == y.configuration
      && x.background == y.background && x.clusterThreshold == y.clusterThreshold
      && untimed(x.kernelStatistics) == untimed(y.kernelStatistics)
  }
}
