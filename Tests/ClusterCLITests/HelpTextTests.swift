import Foundation
import StoryClusterTestSupport
import Testing

/// The help a new user reads: each default stated once, and paragraphs wrapped to the width.
struct HelpTextTests {
  static let commands: [[String]] = [
    [], ["run"], ["vectorize"], ["eval"], ["explain"], ["calibrate"], ["index"], ["index", "init"],
    ["index", "add"], ["index", "query"], ["index", "stories"], ["index", "story"],
    ["index", "expire"], ["index", "export"], ["index", "check"], ["index", "stats"],
  ]

  /// swift-argument-parser appends `(default: x)` to a non-optional option by itself, so a help
  /// string that says it too prints it twice (`(default: 0). (default: 0)`).
  @Test(arguments: commands)
  func eachDefaultIsStatedOnce(command: [String]) throws {
    // Wide enough that each option's help is one line.
    let help = try ClusterBinary.run(command + ["--help"], environment: ["COLUMNS": "1000"])
    #expect(help.status == 0)
    #expect(help.stdout.contains("OPTIONS:"))
    for line in help.stdout.split(separator: "\n") {
      #expect(line.components(separatedBy: "default:").count <= 2, "\(line)")
    }
  }

  /// The overviews are written one line per paragraph, so the help wraps them at the width
  /// itself: no paragraph line is cut short mid-sentence, at any width.
  @Test(arguments: commands, [50, 80, 120])
  func paragraphsWrapToTheWidth(command: [String], width: Int) throws {
    let help = try ClusterBinary.run(command + ["--help"], environment: ["COLUMNS": "\(width)"])
    #expect(help.status == 0)
    let text = help.stdout.components(separatedBy: "USAGE:")[0]
    for paragraph in text.components(separatedBy: "\n\n") {
      let lines = paragraph.split(separator: "\n")
      for (k, line) in lines.enumerated() {
        #expect(line.count <= width, "\(line)")
        // A line ends early only where the next word would not fit (swift-argument-parser
        // breaks at the last space of the next `width` characters, so a line and the next word
        // reach the width).
        if k + 1 < lines.count {
          let next = lines[k + 1].split(separator: " ").first?.count ?? 0
          #expect(line.count + 1 + next >= width, "\(command) at \(width): \(line)")
        }
      }
    }
  }
}
