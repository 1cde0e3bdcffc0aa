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
    let fd: Int32
    if let path {
      fd = open(path, O_RDONLY)
      guard fd >= 0 else { throw .unreadable(SourceLocation(path: path), reason: errnoText()) }
    } else {
      fd = 0
    }
    defer { if path != nil { close(fd) } }
    var result: [UInt8] = []
    var st = stat()
    if fstat(fd, &st) == 0, st.st_size > 0 { result.reserveCapacity(Int(st.st_size)) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .unreadable(SourceLocation(path: path ?? "<stdin>"), reason: errnoText())
      }
      if n == 0 { break }
      result.append(contentsOf: chunk[0..<n])
    }
    return result
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

  private static func errnoText() -> String { String(cString: strerror(errno)) }
}
