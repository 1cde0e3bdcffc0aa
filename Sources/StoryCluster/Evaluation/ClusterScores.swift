#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Agreement between a predicted clustering and gold story labels.
///
/// - B-cubed precision and recall average, over items, the share of the item's predicted cluster
///   that shares its gold label and the share of its gold story that shares its cluster (A. Bagga
///   and B. Baldwin, "Entity-based cross-document coreferencing using the vector space model",
///   COLING-ACL 1998).
/// - Pairwise precision and recall count item pairs placed together (0/0 counts as 1).
/// - The adjusted Rand index (L. Hubert and P. Arabie, "Comparing partitions", Journal of
///   Classification 2, 1985) and normalised mutual information with the arithmetic mean
///   (A. Strehl and J. Ghosh, JMLR 3, 2002) equal scikit-learn's `adjusted_rand_score` and
///   `normalized_mutual_info_score`, special cases included.
///
/// ```swift
/// let s = ClusterScores(gold: [0, 0, 1, 1], predicted: [0, 0, 0, 1])
/// s.bcubedPrecision  // (2/3 + 2/3 + 1/3 + 1) / 4 = 0.667
/// ```
///
/// - Complexity: O(n log n) time and O(n) memory for n items (a sorted contingency table).
public struct ClusterScores: Sendable, Equatable {
  /// B-cubed precision.
  public var bcubedPrecision: Double
  /// B-cubed recall.
  public var bcubedRecall: Double
  /// B-cubed F1.
  public var bcubedF1: Double
  /// Pairwise precision.
  public var pairwisePrecision: Double
  /// Pairwise recall.
  public var pairwiseRecall: Double
  /// Pairwise F1.
  public var pairwiseF1: Double
  /// Adjusted Rand index.
  public var adjustedRandIndex: Double
  /// Normalised mutual information (arithmetic mean).
  public var normalizedMutualInformation: Double
  /// Gold stories.
  public var goldClusterCount: Int
  /// Predicted clusters.
  public var predictedClusterCount: Int
  /// Items scored.
  public var itemCount: Int

  /// Scores `predicted` against `gold`; both are labels per item, of equal length.
  ///
  /// - Parameters:
  ///   - gold: The gold label of each item.
  ///   - predicted: The predicted cluster of each item.
  public init(gold: [Int], predicted: [Int]) {
    precondition(gold.count == predicted.count, "one gold and one predicted label per item")
    let n = gold.count
    itemCount = n
    // Contingency cells (gold, predicted) → count, in sorted order.
    var cells: [(Int, Int)] = zip(gold, predicted).map { ($0, $1) }
    cells.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
    var cellCounts: [(g: Int, p: Int, n: Int)] = []
    for cell in cells {
      if let last = cellCounts.last, last.g == cell.0, last.p == cell.1 {
        cellCounts[cellCounts.count - 1].n += 1
      } else {
        cellCounts.append((cell.0, cell.1, 1))
      }
    }
    func sizes(_ labels: [Int]) -> [Int: Int] {
      var s: [Int: Int] = [:]
      for l in labels { s[l, default: 0] += 1 }
      return s
    }
    let goldSizes = sizes(gold)
    let predictedSizes = sizes(predicted)
    goldClusterCount = goldSizes.count
    predictedClusterCount = predictedSizes.count
    guard n > 0 else {
      (bcubedPrecision, bcubedRecall, bcubedF1) = (1, 1, 1)
      (pairwisePrecision, pairwiseRecall, pairwiseF1) = (1, 1, 1)
      (adjustedRandIndex, normalizedMutualInformation) = (1, 1)
      return
    }
    var precision = 0.0
    var recall = 0.0
    var together = 0.0
    var mutual = 0.0
    let total = Double(n)
    for cell in cellCounts {
      let c = Double(cell.n)
      let a = Double(goldSizes[cell.g] ?? 1)
      let b = Double(predictedSizes[cell.p] ?? 1)
      precision += c * c / b
      recall += c * c / a
      together += c * (c - 1) / 2
      mutual += c / total * log(c * total / (a * b))
    }
    bcubedPrecision = precision / total
    bcubedRecall = recall / total
    bcubedF1 = Self.f1(bcubedPrecision, bcubedRecall)
    func pairs(_ s: [Int: Int]) -> Double {
      s.values.sorted().reduce(0.0) { $0 + Double($1) * Double($1 - 1) / 2 }
    }
    let goldPairs = pairs(goldSizes)
    let predictedPairs = pairs(predictedSizes)
    pairwisePrecision = predictedPairs > 0 ? together / predictedPairs : 1
    pairwiseRecall = goldPairs > 0 ? together / goldPairs : 1
    pairwiseF1 = Self.f1(pairwisePrecision, pairwiseRecall)
    // ARI with scikit-learn's special cases.
    let allPairs = total * (total - 1) / 2
    if goldClusterCount == predictedClusterCount
      && (goldClusterCount == 1 || goldClusterCount == 0 || goldClusterCount == n)
    {
      adjustedRandIndex = 1
    } else {
      let expected = allPairs > 0 ? goldPairs * predictedPairs / allPairs : 0
      let maximum = (goldPairs + predictedPairs) / 2
      adjustedRandIndex = maximum == expected ? 0 : (together - expected) / (maximum - expected)
    }
    // NMI, arithmetic mean, with scikit-learn's special cases.
    func entropy(_ s: [Int: Int]) -> Double {
      s.values.sorted().reduce(0.0) { h, c in
        let p = Double(c) / total
        return h - p * log(p)
      }
    }
    if goldClusterCount == predictedClusterCount && goldClusterCount <= 1 {
      normalizedMutualInformation = 1
    } else {
      let mean = (entropy(goldSizes) + entropy(predictedSizes)) / 2
      normalizedMutualInformation = mutual <= 0 || mean <= 0 ? 0 : max(0, mutual) / mean
    }
  }

  private static func f1(_ p: Double, _ r: Double) -> Double { p + r > 0 ? 2 * p * r / (p + r) : 0 }

  /// Maps arbitrary labels to dense integers in first-seen order.
  ///
  /// - Parameter values: One label per item.
  /// - Returns: One integer per item; equal labels get equal integers.
  /// - Complexity: O(n) expected.
  public static func labels<T: Hashable>(_ values: [T]) -> [Int] {
    var ids: [T: Int] = [:]
    return values.map { value in
      if let id = ids[value] { return id }
      let id = ids.count
      ids[value] = id
      return id
    }
  }

  /// Dense gold labels from optional ones: equal labels get equal integers, and each item
  /// without a label (`nil`) is a story of its own.
  ///
  /// ```swift
  /// ClusterScores.labels(gold: ["x", nil, "x", nil])  // [0, 1, 0, 2]
  /// ```
  ///
  /// - Parameter gold: One optional label per item.
  /// - Returns: One integer per item.
  /// - Complexity: O(n) expected.
  public static func labels(gold: [String?]) -> [Int] {
    // A NUL byte cannot start a label read from JSON Lines or CSV text as a key of its own.
    labels(gold.enumerated().map { $0.element ?? "\u{0}#\($0.offset)" })
  }
}

/// Correlations between two score lists, for graded similarity judgements.
///
/// ```swift
/// RankCorrelation.spearman([1, 2, 3], [10, 20, 30])  // 1
/// ```
public enum RankCorrelation {
  /// Pearson's r; 0 when either list has no variance or fewer than two values.
  ///
  /// - Complexity: O(n).
  public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == y.count)
    let n = Double(x.count)
    guard x.count >= 2 else { return 0 }
    let mx = x.reduce(0, +) / n
    let my = y.reduce(0, +) / n
    var sxy = 0.0
    var sxx = 0.0
    var syy = 0.0
    for (a, b) in zip(x, y) {
      sxy += (a - mx) * (b - my)
      sxx += (a - mx) * (a - mx)
      syy += (b - my) * (b - my)
    }
    guard sxx > 0, syy > 0 else { return 0 }
    return sxy / (sxx * syy).squareRoot()
  }

  /// Spearman's ρ: Pearson's r of the ranks, ties sharing their average rank (as
  /// `scipy.stats.spearmanr`).
  ///
  /// - Complexity: O(n log n).
  public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
    pearson(ranks(x), ranks(y))
  }

  /// 1-based ranks with ties averaged.
  static func ranks(_ v: [Double]) -> [Double] {
    let order = v.indices.sorted { v[$0] < v[$1] }
    var r = [Double](repeating: 0, count: v.count)
    var i = 0
    while i < order.count {
      var j = i
      while j + 1 < order.count && v[order[j + 1]] == v[order[i]] { j += 1 }
      let average = Double(i + j) / 2 + 1
      for k in i...j { r[order[k]] = average }
      i = j + 1
    }
    return r
  }
}
