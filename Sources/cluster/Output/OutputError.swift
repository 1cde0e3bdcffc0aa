import ArgumentParser

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why the results could not be written in full.
///
/// A report that did not reach its destination is a failure, not a success with less output: a
/// nightly job on a full disk must not keep an empty or truncated file that looks complete. Each
/// case carries the `errno` of the call that failed, and ``description`` names it with
/// `strerror(3)`, e.g. `error: cannot write output: No space left on device`.
///
/// A closed pipe is the one quiet case: `cluster run big.jsonl | head -1` stops writing when
/// `head` has read its line, prints nothing and exits 0 (see ``exitCode``).
enum OutputError: Error, Equatable, CustomStringConvertible {
  /// A `write(2)`, `fsync(2)` or `close(2)` of the output failed with `errno` (`ENOSPC` on a
  /// full disk or `/dev/full`, `EIO`, `EDQUOT`, …). Exit code 74 (`EX_IOERR`).
  case cannotWrite(errno: Int32)
  /// The reader of the output pipe has gone (`EPIPE`): nothing more can be written, and nobody
  /// is waiting for it. Quiet, exit code 0.
  case closedPipe
  /// The `--output` file cannot be created: `path` as given and the `errno` of `open(2)`
  /// (`ENOENT` when its directory does not exist, `EACCES`, `EISDIR`, …). Exit code 73
  /// (`EX_CANTCREAT`); nothing was written.
  case cannotCreate(path: String, errno: Int32)
  /// The complete temporary file could not be renamed over the `--output` file `path`
  /// (`rename(2)` failed with `errno`); the temporary file is removed. Exit code 74.
  case cannotReplace(path: String, errno: Int32)

  /// The message for standard error, `error: …` with the system's text for the `errno`.
  var description: String {
    switch self {
    case .cannotWrite(let code): "error: cannot write output: \(Self.text(code))"
    case .closedPipe: "error: cannot write output: the reading end of the pipe is closed"
    case .cannotCreate(let path, let code):
      "error: cannot create output file \(path): \(Self.text(code))"
    case .cannotReplace(let path, let code):
      "error: cannot write output: cannot replace \(path): \(Self.text(code))"
    }
  }

  /// Whether the message goes to standard error: every case but ``closedPipe``, whose reader
  /// chose to stop reading.
  var isReported: Bool { self != .closedPipe }

  /// The exit status: 74 (`EX_IOERR`) for a failed write or rename, 73 (`EX_CANTCREAT`) when
  /// the `--output` file cannot be created, 0 for a closed pipe (sysexits(3)).
  var exitCode: ExitCode {
    switch self {
    case .cannotWrite, .cannotReplace: ExitCode(74)
    case .cannotCreate: ExitCode(73)
    case .closedPipe: .success
    }
  }

  /// Classifies the `errno` of a failed write: `EPIPE` is a closed pipe, the rest are errors.
  static func writing(errno code: Int32) -> OutputError {
    code == EPIPE ? .closedPipe : .cannotWrite(errno: code)
  }

  /// Prints the message (unless the case is quiet) and returns the exit code to throw.
  func report() -> ExitCode {
    if isReported { Diagnostics.print(description) }
    return exitCode
  }

  /// `strerror(3)` of `code`.
  private static func text(_ code: Int32) -> String { String(cString: strerror(code)) }
}
