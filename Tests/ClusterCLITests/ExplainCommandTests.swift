import Foundation
import StoryClusterTestSupport
import Testing

/// `cluster explain A B PATH...` on the founding articles, as a user runs it.
struct ExplainCommandTests {
  static let a = "000_c0837fc8db15ef58.txt"
  static let b = "004_93e46284cb8dccf5.txt"

  @Test func tableExplainsTheSeeds() throws {
    let result = try ClusterBinary.run(["explain", Self.a, Self.b, RepositoryPaths.seeds])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    // The same figures `cluster run --format json` reports for the pair and the clusters:
    // pair score 0.391693 → 0.3917, threshold 0.15 = 15 × background 0.01 (the two articles are
    // one story of the first, liberal pass, so no pair lies between its stories and the
    // background is the prior). The names cosine is blended into the cosine part; one of the two
    // mentions no year, so no year factor.
    #expect(lines[2] == "cosine 0.2858   pair score 0.3917 (blended)   kind related")
    // Articles, not headlines: the pair score takes the stemmed-word cosine (no alignment); the
    // two share no number of the ones they mention, 0.85.
    #expect(
      lines[3] == "pair score 0.3917 = (words 0.3239 + characters 0.5977) / 2 × numbers 0.8500")
    #expect(
      lines[4].hasPrefix(
        "story similarity 0.4474 = 0.40 × (0.70 × cosine 0.2858 + 0.30 × names 0.4194) × time "
          + "decay 1.0000 (not both dated) + 0.60 × neighbourhood 0.5284"))
    #expect(
      lines[5].hasPrefix("threshold 0.1500 = lift 15.00 × background 0.0100 (average linkage)"))
    #expect(lines[6].hasPrefix("SAME STORY #1"))
    #expect(lines[7] == "  0.4474  \(Self.a) — \(Self.b)")
    #expect(result.stdout.contains("  [5 words] Syrian President Bashar al-Assad\n"))
  }

  @Test func jsonCarriesEveryPart() throws {
    let result = try ClusterBinary.run([
      "explain", Self.b, Self.a, RepositoryPaths.seeds, "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(
      JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(json["a"] as? String == Self.b && json["same_story"] as? Bool == true)
    #expect(json["pair_score"] as? Double == 0.391693)
    let parts = try #require(json["pair_score_parts"] as? [String: Any])
    #expect(parts["alignment"] is NSNull && parts["words"] as? Double == 0.323926)
    #expect(parts["characters"] as? Double == 0.597703 && parts["numbers"] as? Double == 0.85)
    let story = try #require(json["story_similarity"] as? [String: Any])
    #expect(story["is_link"] as? Bool == true && story["time_decay"] as? Double == 1)
    #expect(story["names_weight"] as? Double == 0.3 && story["year_penalty"] as? Double == 0.3)
    #expect(story["names_cosine"] as? Double == 0.419441 && story["year_agreement"] is NSNull)
    let chain = try #require(json["chain"] as? [[String: Any]])
    #expect(chain.map { $0["a"] as? String } == [Self.b])
    let run = try ClusterBinary.run(["run", RepositoryPaths.seeds, "--format", "json"])
    let report = try #require(
      JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let config = try #require(report["config"] as? [String: Any])
    #expect(json["threshold"] as? Double == config["cluster_threshold"] as? Double)
  }

  @Test func anUnknownIDIsBadInput() throws {
    let result = try ClusterBinary.run(["explain", "nope", Self.a, RepositoryPaths.seeds])
    #expect(result.status == 65)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr == "error: no article with id \"nope\" in the input\n")
  }
}
