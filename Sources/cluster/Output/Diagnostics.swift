import Foundation

/// Writes diagnostics to standard error, one per line.
enum Diagnostics {
  static func print(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
  }
}
