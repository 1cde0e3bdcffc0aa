/// Writes diagnostics to standard error, one per line.
enum Diagnostics {
  static func print(_ message: String) {
    _ = ByteWriter.writeAll(Array((message + "\n").utf8), to: 2)
  }
}
