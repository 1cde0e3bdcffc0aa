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
public enum BLAS {
  /// Computes `C = A · Bᵀ` in single precision (row-major).
  ///
  /// `A` is `m × k` with leading dimension `k`, `B` is `n × k` with leading dimension `k`, and `C`
  /// is `m × n` with leading dimension `ldc ≥ n`. Returns at once when any dimension is 0.
  ///
  /// - Parameters:
  ///   - m: Rows of `A` and `C`.
  ///   - n: Rows of `B`, columns of `C`.
  ///   - k: Columns of `A` and `B`.
  ///   - a: `m · k` floats.
  ///   - b: `n · k` floats.
  ///   - c: `m · ldc` floats, overwritten.
  ///   - ldc: The leading dimension of `C` (defaults to `n`).
  /// - Complexity: 2·m·n·k flops; no memory beyond the operands.
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

  /// OpenBLAS's current thread count, or 1 for a single-threaded library.
  public static var threadCount: Int {
    typealias GetThreads = @convention(c) () -> Int32
    guard let symbol = lookup("openblas_get_num_threads") else { return 1 }
    return Int(unsafeBitCast(symbol, to: GetThreads.self)())
  }

  /// Sets OpenBLAS's thread count (no effect on a single-threaded library). The engine sets 1
  /// while it runs its own threads, so the two never oversubscribe the cores, and restores the
  /// previous count afterwards (``singleThreadScope``).
  ///
  /// - Parameter count: The number of threads.
  public static func setThreadCount(_ count: Int) {
    typealias SetThreads = @convention(c) (Int32) -> Void
    guard let symbol = lookup("openblas_set_num_threads") else { return }
    unsafeBitCast(symbol, to: SetThreads.self)(Int32(max(1, count)))
  }

  /// Holds OpenBLAS at one thread while the kernel runs: shared by every kernel run in the
  /// process, so runs that overlap (engines run concurrently) restore the count the process had
  /// before the first of them.
  static let singleThreadScope = ThreadCountScope(
    get: { threadCount }, set: { setThreadCount($0) })

  private static func lookup(_ name: String) -> UnsafeMutableRawPointer? {
    guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
    return dlsym(handle, name)
  }
}
