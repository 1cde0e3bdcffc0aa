import CBLAS

#if canImport(Glibc)
  import Glibc
#endif

/// The engine's only door to the C BLAS: single-precision GEMM and run-time facts about the
/// library that was loaded.
///
/// Debian's `libblas.so` is either the reference BLAS or OpenBLAS (chosen by `update-alternatives`
/// at run time, same ABI). Only names both `cblas.h` headers declare are used here: `cblas_sgemm`,
/// `CblasRowMajor`, `CblasNoTrans`, `CblasTrans` and `Int32` sizes. OpenBLAS is recognised at run
/// time by looking up `openblas_get_config` with `dlsym`.
///
/// Every call runs on the calling thread: the first multiplication sets OpenBLAS to one thread
/// for the rest of the process, once, and nothing changes it again (see
/// <doc:SimilarityKernelDesign#BLAS-threads>). Callers that want parallelism run their own
/// threads over blocks, as ``SimilarityKernel`` does.
public enum BLAS {
  /// Computes `C = A · Bᵀ` in single precision (row-major).
  ///
  /// `A` is `m × k` with leading dimension `k`, `B` is `n × k` with leading dimension `k`, and `C`
  /// is `m × n` with leading dimension `ldc ≥ n`. Returns at once when any dimension is 0.
  /// The multiplication runs on the calling thread (OpenBLAS is single-threaded from the first
  /// call on), so calls from several threads at once neither oversubscribe the cores nor depend
  /// on `OPENBLAS_NUM_THREADS`: for one shape and one library, the same operands give the same
  /// bits.
  ///
  /// - Parameters:
  ///   - m: Rows of `A` and `C`.
  ///   - n: Rows of `B`, columns of `C`.
  ///   - k: Columns of `A` and `B`.
  ///   - a: `m · k` floats.
  ///   - b: `n · k` floats.
  ///   - c: `m · ldc` floats, overwritten.
  ///   - ldc: The leading dimension of `C` (defaults to `n`).
  /// - Complexity: 2·m·n·k flops; no memory beyond the operands and OpenBLAS's own packing
  ///   buffers (taken from a pool it allocates once and reuses).
  public static func multiplyTransposed(
    m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, ldc: Int? = nil
  ) {
    let ldc = ldc ?? n
    precondition(m >= 0 && n >= 0 && k >= 0 && ldc >= n, "invalid sgemm shape")
    precondition(m <= Int(Int32.max) && n <= Int(Int32.max) && k <= Int(Int32.max))
    if m == 0 || n == 0 { return }
    if k == 0 {
      for r in 0..<m { (c + r * ldc).update(repeating: 0, count: n) }
      return
    }
    _ = singleThreaded
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k), 1, a, Int32(k), b,
      Int32(k), 0, c, Int32(ldc))
  }

  /// The library serving `cblas_sgemm`: `OpenBLAS <config>` or `reference BLAS`.
  public static var libraryDescription: String {
    typealias GetConfig = @convention(c) () -> UnsafePointer<CChar>?
    if let symbol = lookup("openblas_get_config") {
      let getConfig = unsafeBitCast(symbol, to: GetConfig.self)
      if let text = getConfig() { return "OpenBLAS " + String(cString: text) }
      return "OpenBLAS"
    }
    return "reference BLAS (netlib)"
  }

  /// Whether the loaded library is OpenBLAS.
  public static var isOpenBLAS: Bool { lookup("openblas_get_config") != nil }

  /// OpenBLAS's current thread count, or 1 for a single-threaded library: 1 once anything has
  /// multiplied through ``multiplyTransposed(m:n:k:a:b:c:ldc:)``; before that, the count OpenBLAS
  /// started with (`OPENBLAS_NUM_THREADS`, or the number of cores).
  public static var threadCount: Int {
    typealias GetThreads = @convention(c) () -> Int32
    guard let symbol = lookup("openblas_get_num_threads") else { return 1 }
    return Int(unsafeBitCast(symbol, to: GetThreads.self)())
  }

  // MARK: - Internals

  /// Sets OpenBLAS to one thread for the rest of the process; evaluated once, before the first
  /// `cblas_sgemm`.
  ///
  /// The engine parallelises over blocks on its own threads and calls sgemm from each, so BLAS
  /// threads inside a call would only oversubscribe the cores. Swift initialises a static
  /// property once, under a lock (`swift_once`), so two engines starting together in one process
  /// cannot race here, and no run saves, changes or restores the count afterwards.
  private static let singleThreaded: Void = {
    typealias SetThreads = @convention(c) (Int32) -> Void
    guard let symbol = lookup("openblas_set_num_threads") else { return }
    unsafeBitCast(symbol, to: SetThreads.self)(1)
  }()

  private static func lookup(_ name: String) -> UnsafeMutableRawPointer? {
    guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
    return dlsym(handle, name)
  }
}
