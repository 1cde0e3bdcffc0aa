import StoryClusterTestSupport
import Testing

@testable import StoryCluster

/// `BLAS.multiplyTransposed` (C = A · Bᵀ, row-major) against a naive triple loop in `Double`.
struct BLASTests {
  /// Runs `multiplyTransposed` on `a` (m × k) and `b` (n × k) into a C of `m × ldc` floats that
  /// starts filled with `sentinel`, and returns all of C.
  static func multiply(
    m: Int, n: Int, k: Int, a: [Float], b: [Float], ldc: Int? = nil, sentinel: Float = -7
  ) -> [Float] {
    let stride = ldc ?? n
    var c = [Float](repeating: sentinel, count: max(1, m * stride))
    // Non-empty buffers, so the pointers exist even for empty shapes.
    let a = a.isEmpty ? [0] : a
    let b = b.isEmpty ? [0] : b
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
          if let ab = ap.baseAddress, let bb = bp.baseAddress, let cb = cp.baseAddress {
            BLAS.multiplyTransposed(m: m, n: n, k: k, a: ab, b: bb, c: cb, ldc: ldc)
          }
        }
      }
    }
    return m * stride == 0 ? [] : c
  }

  @Test func smallProductIsExact() {
    // A = [[1, 2], [3, 4]], B = [[5, 6], [7, 8], [9, 10]]:
    // C = [[1·5 + 2·6, 1·7 + 2·8, 1·9 + 2·10], [3·5 + 4·6, 3·7 + 4·8, 3·9 + 4·10]]
    //   = [[17, 23, 29], [39, 53, 67]], all exact in Float.
    let c = Self.multiply(m: 2, n: 3, k: 2, a: [1, 2, 3, 4], b: [5, 6, 7, 8, 9, 10])
    #expect(c == [17, 23, 29, 39, 53, 67])
  }

  @Test func leadingDimensionLeavesThePaddingAlone() {
    // Same product into rows of 5: columns 3 and 4 keep the sentinel.
    let c = Self.multiply(m: 2, n: 3, k: 2, a: [1, 2, 3, 4], b: [5, 6, 7, 8, 9, 10], ldc: 5)
    #expect(c == [17, 23, 29, -7, -7, 39, 53, 67, -7, -7])
  }

  @Test func kOfZeroZeroesTheProductOnly() {
    // Empty inner dimension: every dot product is the empty sum 0; the padding is untouched.
    let c = Self.multiply(m: 2, n: 2, k: 0, a: [], b: [], ldc: 3)
    #expect(c == [0, 0, -7, 0, 0, -7])
  }

  @Test func emptyOutputIsNotTouched() {
    // m = 0 or n = 0: nothing to write (C keeps the sentinel where it has room).
    #expect(Self.multiply(m: 0, n: 3, k: 4, a: [], b: [Float](repeating: 1, count: 12)) == [])
    #expect(
      Self.multiply(m: 2, n: 0, k: 4, a: [Float](repeating: 1, count: 8), b: [], ldc: 2)
        == [-7, -7, -7, -7])
  }

  struct Shape: Sendable, CustomTestStringConvertible {
    var m: Int
    var n: Int
    var k: Int
    var ldc: Int?
    var testDescription: String { "\(m)×\(k) · (\(n)×\(k))ᵀ, ldc \(ldc.map(String.init) ?? "n")" }
  }

  static let shapes: [Shape] = [
    Shape(m: 1, n: 1, k: 1), Shape(m: 1, n: 7, k: 3), Shape(m: 7, n: 1, k: 3),
    Shape(m: 5, n: 5, k: 16), Shape(m: 17, n: 9, k: 33, ldc: 12), Shape(m: 64, n: 48, k: 96),
    Shape(m: 33, n: 65, k: 1), Shape(m: 3, n: 4, k: 0, ldc: 6), Shape(m: 0, n: 5, k: 3),
    Shape(m: 5, n: 0, k: 3, ldc: 2), Shape(m: 0, n: 0, k: 0),
  ]

  /// Seeded matrices in [-1, 1] against `Σ_p A[i][p] · B[j][p]` in `Double`, within 1e-6 · k
  /// absolute (single-precision sums of k terms of size ≤ 1 with random signs round off by a few
  /// 2⁻²⁴ · √k, far below it); the padding beyond n keeps its sentinel.
  @Test(arguments: shapes)
  func equalsTheNaiveProduct(_ s: Shape) {
    var generator = SeededGenerator(seed: UInt64(s.m * 10_000 + s.n * 100 + s.k))
    let a = (0..<(s.m * s.k)).map { _ in Float.random(in: -1...1, using: &generator) }
    let b = (0..<(s.n * s.k)).map { _ in Float.random(in: -1...1, using: &generator) }
    let ldc = s.ldc ?? s.n
    let c = Self.multiply(m: s.m, n: s.n, k: s.k, a: a, b: b, ldc: s.ldc)
    #expect(c.count == s.m * ldc)
    for i in 0..<s.m {
      for j in 0..<ldc {
        let got = c[i * ldc + j]
        if j >= s.n {
          #expect(got == -7, "padding \(i),\(j)")
          continue
        }
        var expected = 0.0
        for p in 0..<s.k { expected += Double(a[i * s.k + p]) * Double(b[j * s.k + p]) }
        #expect(abs(Double(got) - expected) <= 1e-6 * Double(max(1, s.k)), "\(i),\(j)")
      }
    }
  }

  @Test func libraryFactsAreAvailable() {
    #expect(!BLAS.libraryDescription.isEmpty)
    #expect(BLAS.threadCount >= 1)
    #expect(BLAS.libraryDescription.hasPrefix("OpenBLAS") == BLAS.isOpenBLAS)
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
