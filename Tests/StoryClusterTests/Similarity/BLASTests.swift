import Testing

@testable import StoryCluster

/// The engine's door to sgemm: the product itself, and who owns OpenBLAS's threads.
struct BLASTests {
  /// A = [[1, 2], [3, 4]], so A·Aᵀ = [[1+4, 3+8], [3+8, 9+16]] = [[5, 11], [11, 25]].
  @Test func multipliesByTheTranspose() {
    let a: [Float] = [1, 2, 3, 4]
    var c = [Float](repeating: -1, count: 4)
    BLAS.multiplyTransposed(m: 2, n: 2, k: 2, a: a, b: a, c: &c)
    #expect(c == [5, 11, 11, 25])
  }

  /// k = 0 writes zeros into the `m × n` corner of C and leaves the padding past `ldc` alone.
  @Test func emptyDepthZeroesTheOutput() {
    let a: [Float] = [0]
    var c = [Float](repeating: -1, count: 6)
    BLAS.multiplyTransposed(m: 2, n: 2, k: 0, a: a, b: a, c: &c, ldc: 3)
    #expect(c == [0, 0, -1, 0, 0, -1])
  }

  /// Two kernels running at once in one process: each gets the same result, and OpenBLAS is
  /// left at one thread (set once, before the first sgemm; never saved and restored per run).
  @Test func kernelsRunningTogetherLeaveOpenBLASSingleThreaded() {
    let matrix = SimilarityKernelTests.randomMatrix(rows: 100, columns: 60, seed: 11)
    let kernel = SimilarityKernel(
      configuration: .init(neighborCount: 5, threshold: 0.3, blockSize: 16, head: .fixed(8)))
    let results = parallelMap(2, threads: 2) { _ in kernel.run(matrix) }
    // (The statistics hold timings, so only the neighbours and pairs are compared.)
    #expect(results[0].neighbors == results[1].neighbors)
    #expect(results[0].pairs == results[1].pairs && !results[0].pairs.isEmpty)
    #expect(BLAS.threadCount == 1)
  }
}
