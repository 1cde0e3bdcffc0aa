import StoryCluster
import Testing

/// Shared passages: maximal common word runs, longest first, non-overlapping, located in both
/// texts by UTF-8 byte ranges.
struct SharedPassagesTests {
  @Test func theDocumentedExample() {
    let a = "Russia and the US agreed on Syria."
    let b = "Officials said Russia and the US agreed on a text."
    let shared = SharedPassages(a, b, minimumWords: 3)
    // "russia and the us agreed on": 6 words; bytes 0..<27 of a and 15..<42 of b.
    #expect(shared.passages.map(\.text) == ["Russia and the US agreed on"])
    #expect(shared.passages.map(\.wordCount) == [6])
    #expect(shared.passages.map(\.rangeInA) == [0..<27])
    #expect(shared.passages.map(\.rangeInB) == [15..<42])
  }

  @Test func longestFirstAndNoOverlap() {
    // a: "x y z w" and "p q r" both occur in b; "y z w p" is not contiguous in b.
    let a = "x y z w. p q r s"
    let b = "p q r, then x y z w!"
    let shared = SharedPassages(a, b, minimumWords: 2)
    #expect(shared.passages.map(\.text) == ["x y z w", "p q r"])
    // The case and punctuation between words do not matter.
    let loud = SharedPassages(
      "The STORM hit, the coast.", "the storm hit the coast", minimumWords: 2)
    #expect(loud.passages.map(\.wordCount) == [5])
  }

  @Test func nothingSharedAndTheMinimumLength() {
    #expect(SharedPassages("alpha beta", "gamma delta").passages.isEmpty)
    #expect(
      SharedPassages("alpha beta gamma", "beta gamma delta", minimumWords: 3).passages.isEmpty)
    #expect(
      SharedPassages("alpha beta gamma", "beta gamma delta", minimumWords: 2).passages.count == 1)
    #expect(SharedPassages("", "").passages.isEmpty)
  }

  @Test func nonASCIIRangesAreBytes() {
    // "Zürich" is 7 UTF-8 bytes, so "talks in Zürich" ends at byte 15 + 7 = … of a.
    let a = "Talks in Zürich ended"
    let b = "talks in zürich began"
    let shared = SharedPassages(a, b, minimumWords: 3)
    #expect(shared.passages.map(\.text) == ["Talks in Zürich"])
    #expect(shared.passages[0].rangeInA == 0..<16)
    #expect(Array(a.utf8)[shared.passages[0].rangeInA].count == 16)
  }
}
