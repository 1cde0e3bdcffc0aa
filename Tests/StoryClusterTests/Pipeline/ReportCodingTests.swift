import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

/// A report is data: it survives JSON and compares by value; clusters carry a canonical key.
struct ReportCodingTests {
  @Test func reportRoundTripsThroughJSON() throws {
    let path = RepositoryPaths.root.appendingPathComponent(
      "Tests/StoryClusterTests/Fixtures/samples/ecbplus-dev-sample.jsonl"
    ).path
    let report = try Engine().run(CorpusReader().read([path]))
    #expect(!report.pairs.isEmpty && report.pairs.contains { !$0.sharedTerms.isEmpty })
    let data = try JSONEncoder().encode(report)
    let decoded = try JSONDecoder().decode(Report.self, from: data)
    #expect(decoded == report)
    #expect(decoded.pairs.map(\.a) == report.pairs.map(\.a))
  }

  @Test func equalityIgnoresTimings() throws {
    let report = try Engine().run(CorpusReader().read([RepositoryPaths.seeds]))
    var other = report
    other.stageSeconds = [StageTime(stage: "vectorize", seconds: 99)]
    #expect(other == report)
    other.clusterThreshold += 1
    #expect(other != report)
  }

  @Test func pairsDecodeInTheOrderGiven() throws {
    let json = """
      [{"a": "y", "b": "z", "score": 0.9, "kind": "near-duplicate", "sharedTerms": []},
       {"a": "x", "b": "z", "score": 0.5, "kind": "related",
        "sharedTerms": [{"term": "storm", "weight": 0.25}]}]
      """
    let pairs = try JSONDecoder().decode(RankedPairs.self, from: Data(json.utf8))
    #expect(pairs.map { [$0.a, $0.b] } == [["y", "z"], ["x", "z"]])
    #expect(pairs.map(\.kind) == [.nearDuplicate, .related])
    #expect(pairs[1].sharedTerms == [.init(term: "storm", weight: 0.25)])
    #expect(pairs[0].sharedTerms.isEmpty)
  }

  @Test func pairsOutOfIDOrderAreRejected() {
    let json = #"[{"a": "z", "b": "y", "score": 0.9, "kind": "related", "sharedTerms": []}]"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(RankedPairs.self, from: Data(json.utf8))
    }
  }

  /// FNV-1a 64 over each id's bytes and a 0 byte, ids in byte order (values from a Python
  /// reference: `h = (h ^ byte) * 0x100000001b3 mod 2⁶⁴` from 0xcbf29ce484222325).
  @Test func clusterKeysAreCanonical() throws {
    #expect(Cluster.key(["a", "b"]) == "ab40d7820d408076")
    #expect(Cluster.key(["b", "a"]) == "ab40d7820d408076")
    #expect(Cluster.key(["x"]) == "08f0d807b58d20e5")
    let report = try Engine().run(CorpusReader().read([RepositoryPaths.seeds]))
    #expect(report.clusters.map(\.key) == ["84c067aca2bd5b6c"])
  }
}
