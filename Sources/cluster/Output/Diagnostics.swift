/// Writes diagnostics to standard error, one per line.
enum Diagnostics {
  /// Writes `message` and a line feed to standard error; a failure to write it is ignored (there
  /// is nowhere left to report it).
  static func print(_ message: String) {
    ProgressDisplay.shared.clear()
    try? ByteWriter.writeAll(Array((message + "\n").utf8), to: 2)
  }
}
