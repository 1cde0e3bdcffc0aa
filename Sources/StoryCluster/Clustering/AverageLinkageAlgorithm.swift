/// Which exact algorithm ``Clusterer`` runs for ``Linkage/average``: an internal switch for
/// tests and benchmarks. Both merge by the same rule and give the same clusters (see
/// ``ReciprocalLinkage`` for the one exception, averages closer than the fixed-point unit).
package enum AverageLinkageAlgorithm: Sendable, CaseIterable {
  /// Rounds of reciprocal nearest neighbours, every phase on every thread
  /// (``ReciprocalLinkage``); the default.
  case reciprocal
  /// The serial loop: a global merge queue of upper bounds with lazy re-queueing, floating-point
  /// sums (only the maps are built on several threads).
  case queue
}
