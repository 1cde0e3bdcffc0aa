import Foundation
import StoryCluster
import Testing

@testable import StoryClusterIndex

@Suite struct WindowCacheTests {
  /// Indexes kept open (each with its window cache, which follows their adds, is moved back by
  /// queries of early articles, and is dropped when the other one commits or after an expiry)
  /// place every batch exactly as an index opened afresh for each call, with nothing cached.
  @Test func cachedWindowsPlaceAsFreshlyReadOnes() throws {
    // UCI's sample spans six hours: a one-hour window moves along it.
    let articles = sampleArticles("uci-dev-sample.jsonl").sorted {
      ($0.timestamp ?? 0, $0.id) < ($1.timestamp ?? 0, $1.id)
    }
    var settings = StoryIndexSettings()
    settings.windowDays = 1.0 / 24
    let kept = temporaryIndexPath()
    let fresh = temporaryIndexPath()
    let first = try StoryIndex.create(at: kept, settings: settings)
    let second = try StoryIndex(opening: kept)
    _ = try StoryIndex.create(at: fresh, settings: settings)
    var batches = 0
    for (k, start) in stride(from: 0, to: articles.count, by: 20).enumerated() {
      let batch = Array(articles[start..<min(articles.count, start + 20)])
      // Writers alternate in runs of three, so each sees the other's commits.
      let writer = k % 6 < 3 ? first : second
      if k % 3 == 2 {
        let early = articles[start / 3]
        #expect(try writer.query([early]) == StoryIndex(opening: fresh).query([early]))
      }
      if k == 6, let cutoff = articles[start / 4].timestamp {
        let expired = try writer.expire(before: cutoff)
        #expect(try StoryIndex(opening: fresh).expire(before: cutoff) == expired)
      }
      let cached = try writer.add(batch)
      let uncached = try StoryIndex(opening: fresh).add(batch)
      #expect(cached == uncached, "batch \(k)")
      batches += 1
    }
    #expect(batches == 17)
    #expect(try first.stories() == StoryIndex(opening: fresh).stories())
    #expect(try first.check() == [])
  }
}
