import StoryClusterTestSupport
import Testing

@testable import StoryCluster

extension SimilarityKernelTests {
  /// The kernel on 2,055 real-text rows (``SyntheticCorpus``, news-default vectors) with blocks
  /// of 64 rows, 33 of them, so every worker owns several and the candidate lists of many
  /// blocks are merged: neighbours and pairs are the same bits at 1, 2, 3 and 4 threads, with
  /// the dense head packed once or block by block (OpenBLAS runs one thread inside each worker,
  /// set once per process; `RunCommandTests` varies `OPENBLAS_NUM_THREADS` from outside).
  /// Threshold 0.05, the engine's kernel threshold at the default lift.
  @Test func resultIsBitIdenticalAtEveryThreadCount() throws {
    let texts = SyntheticCorpus.articles(copies: 5).map(\.text)
    let (_, matrix) = try TFIDFVectorizer(configuration: EngineConfiguration().vectorizer)
      .fitTransform(texts: texts, threads: 2)
    #expect(matrix.rowCount == 2_055)
    func run(threads: Int, packedHeadLimit: Int = 64 << 20) -> SimilarityResult {
      var configuration = SimilarityKernel.Configuration(
        neighborCount: 10, threshold: 0.05, blockSize: 64, threads: threads)
      configuration.packedHeadLimit = packedHeadLimit
      return SimilarityKernel(configuration: configuration).run(matrix)
    }
    func bits(_ result: SimilarityResult) -> [UInt64] {
      result.pairs.map(\.score.bitPattern)
        + result.neighbors.joined().flatMap { [UInt64($0.index), $0.score.bitPattern] }
    }
    let reference = run(threads: 1)
    #expect(reference.statistics.workers == 1)
    #expect(reference.statistics.headColumns > 0)  // sgemm runs
    #expect(reference.pairs.count > 10_000)
    for (threads, packedHeadLimit) in [(2, 64 << 20), (3, 64 << 20), (4, 64 << 20), (2, 0), (4, 0)]
    {
      let result = run(threads: threads, packedHeadLimit: packedHeadLimit)
      #expect(result.statistics.workers == threads)
      #expect(result.pairs.map(\.a) == reference.pairs.map(\.a))
      #expect(result.pairs.map(\.b) == reference.pairs.map(\.b))
      #expect(bits(result) == bits(reference), "\(threads) threads, head limit \(packedHeadLimit)")
    }
  }
}
