import Foundation
import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// `RunDetails.storyPairs(in:limit:)` and `RankedPairs.articleRows(at:)`, against the ids.
struct RunDetailsStoryPairsTests {
  static let sample = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/samples/ecbplus-dev-sample.jsonl"
  ).path

  @Test func eachStoryGetsItsOwnPairsInRankOrder() throws {
    let (report, details) = try Engine().runKeepingDetails(CorpusReader().read([Self.sample]))
    let pairs = report.pairs
    #expect(!pairs.isEmpty)
    // Rows name the same articles as the ids.
    for position in pairs.indices {
      let rows = pairs.articleRows(at: position)
      #expect(details.corpus.ids[rows.a] == pairs[position].a)
      #expect(details.corpus.ids[rows.b] == pairs[position].b)
    }
    // The reference: every pair whose two ids are members of one cluster, in rank order.
    let story = Dictionary(
      uniqueKeysWithValues: report.clusters.enumerated().flatMap { index, cluster in
        cluster.members.map { ($0, index) }
      })
    var expected = [[Int]](repeating: [], count: report.clusters.count)
    for (position, pair) in pairs.enumerated() where story[pair.a] == story[pair.b] {
      if let index = story[pair.a] { expected[index].append(position) }
    }
    #expect(details.storyPairs(in: pairs) == expected)
    #expect(expected.contains { $0.count > 2 })
    // A limit keeps each story's best.
    #expect(details.storyPairs(in: pairs, limit: 2) == expected.map { Array($0.prefix(2)) })
    #expect(details.storyPairs(in: pairs, limit: 0) == expected.map { _ in [] })
  }
}
