import ArgumentParser

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a command's results go: standard output, or a file that is replaced only when the
/// results are complete.
///
/// Standard output is written as is. A `--output FILE` is written to a temporary file beside
/// it, `.NAME.tmp-PID` in FILE's directory, which is flushed with `fsync(2)` and renamed over
/// FILE only once every byte is written: FILE holds either its old content or the whole new
/// one, never a half-written report. If the command fails (bad input, a full disk), the
/// temporary file is removed and FILE is left as it was. A FILE that already exists keeps its
/// permission bits; a symbolic link is followed, so the file it names is replaced. A FILE that
/// exists and is not a regular file (`/dev/null`, a FIFO) is written in place, as `>` would.
///
/// ```swift
/// var target = try OutputTarget.open(path)        // exit 73 if FILE cannot be created
/// var out = ByteWriter(descriptor: target.descriptor)
/// out.raw("{}\n")
/// try target.complete(&out)                        // exit 74 if a write failed
/// ```
struct OutputTarget: ~Copyable {
  /// The descriptor to write to.
  let descriptor: Int32
  /// The file replaced on success (a regular file's resolved path), or nil for standard
  /// output and files written in place.
  private let finalPath: String?
  /// The temporary file written instead of `finalPath`.
  private let temporaryPath: String?
  /// Whether `descriptor` is this target's own (closed when done) rather than standard output.
  private let isOwned: Bool
  /// Whether `complete(_:)` has run; otherwise `deinit` removes the temporary file.
  private var isDone = false

  private init(descriptor: Int32, finalPath: String?, temporaryPath: String?, isOwned: Bool) {
    self.descriptor = descriptor
    self.finalPath = finalPath
    self.temporaryPath = temporaryPath
    self.isOwned = isOwned
  }

  /// Opens `path` for the results, or standard output when `path` is nil, printing why it
  /// cannot be opened.
  ///
  /// Open it before the work starts, so a bad `--output` fails at once rather than after
  /// minutes of clustering.
  ///
  /// - Parameter path: The `--output` file as given, or nil for standard output.
  /// - Returns: The target; write through ``descriptor`` and finish with ``complete(_:)``.
  /// - Throws: `ExitCode(73)` after `error: cannot create output file PATH: REASON` when the
  ///   file cannot be created (a missing or read-only directory, a directory at PATH).
  static func open(_ path: String?) throws(ExitCode) -> OutputTarget {
    guard let path else {
      return OutputTarget(descriptor: 1, finalPath: nil, temporaryPath: nil, isOwned: false)
    }
    do throws(OutputError) {
      return try openFile(path)
    } catch {
      throw error.report()
    }
  }

  /// Flushes `out`, then for a file: `fsync(2)`, `close(2)` and `rename(2)` over the final
  /// path. On a failure the temporary file is removed and the message printed.
  ///
  /// - Parameter out: The writer to ``descriptor``, holding the rest of the results.
  /// - Throws: `ExitCode(74)` after `error: cannot write output: REASON` when a write, the
  ///   `fsync`, the `close` or the rename failed. A closed pipe (`EPIPE`) is not thrown: the
  ///   reader has stopped reading, and the command ends quietly with exit code 0.
  mutating func complete(_ out: inout ByteWriter) throws(ExitCode) {
    do throws(OutputError) {
      try finish(&out)
    } catch {
      if error == .closedPipe { return }
      throw error.report()
    }
  }

  // MARK: - Internals

  private mutating func finish(_ out: inout ByteWriter) throws(OutputError) {
    isDone = true
    guard isOwned else { return try out.finish() }
    var failure: OutputError?
    do throws(OutputError) { try out.finish() } catch { failure = error }
    if failure == nil, temporaryPath != nil, fsync(descriptor) != 0 {
      failure = .cannotWrite(errno: errno)
    }
    // Closing can report a failed write (NFS, quotas), so its result counts.
    if close(descriptor) != 0, failure == nil { failure = .cannotWrite(errno: errno) }
    if failure == nil, let temporaryPath, let finalPath, rename(temporaryPath, finalPath) != 0 {
      failure = .cannotReplace(path: finalPath, errno: errno)
    }
    if let failure {
      if let temporaryPath { _ = unlink(temporaryPath) }
      throw failure
    }
  }

  /// Opens the temporary file beside `path`, or `path` itself when it is a device or a FIFO.
  private static func openFile(_ path: String) throws(OutputError) -> OutputTarget {
    var status = stat()
    let exists = stat(path, &status) == 0
    if exists && status.st_mode & S_IFMT == S_IFDIR {
      throw .cannotCreate(path: path, errno: EISDIR)
    }
    if exists && status.st_mode & S_IFMT != S_IFREG {
      let fd = openDescriptor(path, O_WRONLY | O_CLOEXEC)
      guard fd >= 0 else { throw .cannotCreate(path: path, errno: errno) }
      return OutputTarget(descriptor: fd, finalPath: nil, temporaryPath: nil, isOwned: true)
    }
    let finalPath = exists ? resolved(path) : path
    let slash = finalPath.lastIndex(of: "/")
    let directory = slash.map { String(finalPath[...$0]) } ?? ""
    let name = slash.map { String(finalPath[finalPath.index(after: $0)...]) } ?? finalPath
    let temporaryPath = "\(directory).\(name).tmp-\(getpid())"
    let fd = openDescriptor(
      temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o666)
    guard fd >= 0 else { throw .cannotCreate(path: path, errno: errno) }
    if exists { _ = fchmod(fd, status.st_mode & 0o7777) }
    return OutputTarget(
      descriptor: fd, finalPath: finalPath, temporaryPath: temporaryPath, isOwned: true)
  }

  /// `path` with its symbolic links resolved (`realpath(3)`), or `path` if that fails.
  private static func resolved(_ path: String) -> String {
    guard let real = realpath(path, nil) else { return path }
    defer { free(real) }
    return String(cString: real)
  }

  deinit {
    guard !isDone, isOwned else { return }
    _ = close(descriptor)
    if let temporaryPath { _ = unlink(temporaryPath) }
  }
}

/// `open(2)`, which ``OutputTarget/open(_:)`` hides inside the type.
private func openDescriptor(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
  open(path, flags, mode)
}
