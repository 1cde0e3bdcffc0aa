/// How far a stage of a run has got: what an ``Engine`` (or a ``CorpusReader``) reports to its
/// progress hook while it works.
///
/// Each stage reports `completed == 0` when it starts and `completed == total` when it ends;
/// stages with measurable work report in between: the reader after each file and each 4 MiB of
/// JSON Lines (``Unit/bytes``), the similarity kernel after each pair of row blocks
/// (``Unit/blocks``), average linkage as it resolves its queued edges (``Unit/edges``). Reports
/// of one stage come from any thread, in any order, so a `completed` may be smaller than one
/// already seen; a display keeps the largest. Reporting changes nothing in the results.
///
/// ```swift
/// let engine = try Engine(configuration: EngineConfiguration()) { progress in
///   print(progress.stage, progress.completed, "/", progress.total, progress.unit)
/// }
/// ```
///
/// - Complexity: O(1) per report; the kernel reports once per block pair (about B² · H flops,
///   B = 512 rows), average linkage once per 4,096 queue pops.
public struct StageProgress: Sendable, Equatable {
  /// A stage of a run, in the order a run passes them.
  public enum Stage: String, Sendable, CaseIterable {
    /// ``CorpusReader/read(_:)``: files and standard input, in ``Unit/bytes``.
    case reading
    /// ``Engine/analyse(_:)``, in ``Unit/articles``.
    case analysing
    /// ``Engine/vectorize(_:)``, in ``Unit/articles``.
    case vectorizing
    /// ``Engine/similarity(_:corpus:threshold:)``, in ``Unit/blocks`` (pairs of row blocks).
    case similarity
    /// ``Engine/storyGraph(_:vectors:corpus:)``, in ``Unit/steps``.
    case storyGraph = "story graph"
    /// ``Engine/stories(_:count:threshold:)``, in ``Unit/edges`` (graph edges at or above the
    /// threshold, resolved by average linkage; other linkages report start and end).
    case clustering
    /// ``Engine/describe(_:vectors:corpus:)``, in ``Unit/stories``.
    case describing
    /// ``Engine/rankPairs(_:vectors:corpus:)``, in ``Unit/pairs``.
    case ranking
  }

  /// What ``StageProgress/completed`` and ``StageProgress/total`` count.
  public enum Unit: String, Sendable {
    /// Input bytes.
    case bytes
    /// Articles (rows).
    case articles
    /// Pairs of row blocks of the similarity kernel.
    case blocks
    /// Story-graph edges.
    case edges
    /// Stories.
    case stories
    /// Article pairs.
    case pairs
    /// Steps of a stage that reports only its start and end.
    case steps
  }

  /// The stage.
  public var stage: Stage
  /// Work done so far, `0...total` (any value when ``total`` is 0).
  public var completed: Int
  /// All the stage's work; 0 when it is not known ahead (standard input).
  public var total: Int
  /// What the counts count.
  public var unit: Unit

  /// Creates a report.
  ///
  /// - Parameters:
  ///   - stage: The stage.
  ///   - completed: Work done so far.
  ///   - total: All the work, or 0 when unknown.
  ///   - unit: What the counts count.
  public init(stage: Stage, completed: Int, total: Int, unit: Unit) {
    self.stage = stage
    self.completed = completed
    self.total = total
    self.unit = unit
  }
}

/// A progress hook: called with each ``StageProgress`` report, from any thread. It must be
/// quick (it runs inside the stages' loops) and must not call back into the engine.
public typealias ProgressHandler = @Sendable (StageProgress) -> Void
