import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

/// The progress hook: every stage reports its start and its end, the kernel each pair of row
/// blocks, the reader its bytes; and the results do not change.
struct StageProgressTests {
  /// Collects reports from any thread.
  final class Recorder: Sendable {
    private let reports = Locked<[StageProgress]>([])
    var all: [StageProgress] { reports.withLock { $0 } }
    func record(_ report: StageProgress) { reports.withLock { $0.append(report) } }
  }

  static let sample = RepositoryPaths.root.appendingPathComponent(
    "Tests/StoryClusterTests/Fixtures/samples/uci-dev-sample.jsonl"
  ).path

  @Test(arguments: [Linkage.average, .single, .online])
  func everyStageReportsItsStartAndEnd(linkage: Linkage) throws {
    var configuration = EngineConfiguration()
    configuration.linkage = linkage
    configuration.blockSize = 64  // 329 rows: 6 row blocks, 6 · 7 / 2 = 21 block pairs
    let recorder = Recorder()
    let corpus = CorpusReader(progress: recorder.record).read([Self.sample])
    let report = try Engine(configuration: configuration, progress: recorder.record).run(corpus)
    let plain = try Engine(configuration: configuration).run(CorpusReader().read([Self.sample]))
    #expect(report == plain)

    let reports = recorder.all
    #expect(Set(reports.map(\.stage)) == Set(StageProgress.Stage.allCases))
    // Stages come in run order, each from 0 to its total.
    var order: [StageProgress.Stage] = []
    for r in reports where order.last != r.stage { order.append(r.stage) }
    #expect(order == StageProgress.Stage.allCases)
    for stage in StageProgress.Stage.allCases {
      let mine = reports.filter { $0.stage == stage }
      #expect(mine.first?.completed == 0, "\(stage)")
      #expect(mine.map(\.completed).max() == mine.last?.total, "\(stage)")
      #expect(mine.allSatisfy { $0.completed <= $0.total }, "\(stage)")
    }
    let bytes = try FileManager.default.attributesOfItem(atPath: Self.sample)[.size] as? Int
    #expect(reports.first { $0.stage == .reading }?.total == bytes)
    let blocks = reports.filter { $0.stage == .similarity }
    #expect(blocks.last?.total == 21 && blocks.count == 22 && blocks[0].unit == .blocks)
    #expect(reports.first { $0.stage == .analysing }?.total == 329)
    #expect(reports.first { $0.stage == .describing }?.total == report.clusters.count)
    #expect(reports.first { $0.stage == .ranking }?.unit == .pairs)
  }
}
