#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads files and folders with the system's own error messages, for located diagnostics.
enum FileBytes {
  /// The kinds of thing a path can name.
  enum Kind { case file, directory, missing, other }

  /// Reads a whole file (or standard input for `nil`).
  static func read(path: String?) throws(CorpusError) -> [UInt8] {
    var result: [UInt8] = []
    try forEachBlock(path: path, blockSize: 1 << 20) { bytes, _ in
      result.append(contentsOf: bytes)
      return bytes.count
    }
    return result
  }

  /// Reads a whole file (or standard input for `nil`) in blocks through one reused buffer, so a
  /// large file never needs fresh memory as large as itself.
  ///
  /// `body` gets the bytes read and not yet consumed, and whether the input has ended, and returns
  /// how many bytes from the front it consumed; the rest come back at the front of the next call,
  /// after more input. When it consumes nothing from a full buffer, the buffer doubles. At the end
  /// `body` must consume everything.
  ///
  /// - Throws: `CorpusError.unreadable` when the file cannot be opened or read.
  static func forEachBlock(
    path: String?, blockSize: Int,
    _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ isLast: Bool) -> Int
  ) throws(CorpusError) {
    let fd: Int32
    if let path {
      fd = open(path, O_RDONLY)
      guard fd >= 0 else { throw .unreadable(SourceLocation(path: path), reason: errnoText()) }
    } else {
      fd = 0
    }
    defer { if path != nil { close(fd) } }
    var buffer = [UInt8](repeating: 0, count: max(1, blockSize))
    var filled = 0
    var isLast = false
    while !isLast {
      while filled < buffer.count {
        let n = buffer.withUnsafeMutableBytes { raw in
          Glibc.read(fd, raw.baseAddress.map { $0 + filled }, raw.count - filled)
        }
        if n < 0 {
          if errno == EINTR { continue }
          throw .unreadable(SourceLocation(path: path ?? "<stdin>"), reason: errnoText())
        }
        if n == 0 {
          isLast = true
          break
        }
        filled += n
      }
      let consumed = buffer.withUnsafeBufferPointer { all in
        body(UnsafeBufferPointer(rebasing: all[0..<filled]), isLast)
      }
      precondition(consumed >= 0 && consumed <= filled && (!isLast || consumed == filled))
      if consumed == 0 && filled == buffer.count {
        buffer.append(contentsOf: repeatElement(0, count: buffer.count))
      } else if consumed > 0 {
        buffer.withUnsafeMutableBufferPointer { all in
          if let base = all.baseAddress { _ = memmove(base, base + consumed, filled - consumed) }
        }
        filled -= consumed
      }
    }
  }

  /// What `path` names, following symbolic links.
  static func kind(of path: String) -> Kind {
    var st = stat()
    guard stat(path, &st) == 0 else {
      return errno == ENOENT || errno == ENOTDIR ? .missing : .other
    }
    switch st.st_mode & S_IFMT {
    case S_IFDIR: return .directory
    case S_IFREG: return .file
    default: return .other
    }
  }

  /// The size in bytes of the regular file `path` names (following links), or 0.
  static func size(of path: String) -> Int {
    var st = stat()
    guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return 0 }
    return Int(st.st_size)
  }

  /// The canonical absolute path of `path`, used to detect symbolic-link loops.
  static func canonical(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// The entries of a folder, sorted by their UTF-8 bytes, without `.` and `..`.
  static func entries(of path: String) throws(CorpusError) -> [String] {
    guard let dir = opendir(path) else {
      throw .unreadable(SourceLocation(path: path), reason: errnoText())
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name == "." || name == ".." { continue }
      names.append(name)
    }
    return names.sorted(by: idPrecedes)
  }

  static func errnoText() -> String { String(cString: strerror(errno)) }
}
