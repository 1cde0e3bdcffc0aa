import Foundation
import StoryCluster
import StoryClusterTestSupport
import Testing

/// `CorpusReader.labelField`: any field kept as each article's label, in every input form.
struct CorpusReaderLabelFieldTests {
  func folder(_ files: [String: String]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "labels-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files {
      try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }
    return url
  }

  @Test func jsonValuesOfEveryKindBecomeText() throws {
    let url = try folder([
      "a.jsonl": """
      {"id": "1", "title": "t", "topic": 7}
      {"id": "2", "title": "t", "topic": "seven"}
      {"id": "3", "title": "t", "topic": null}
      {"id": "4", "title": "t"}
      {"id": "5", "title": "t", "topic": 2.5e1}
      {"id": "6", "title": "t", "topic": [1, true]}
      {"id": "7", "title": "t", "topic": false}

      """
    ])
    defer { try? FileManager.default.removeItem(at: url) }
    let corpus = CorpusReader(labelField: "topic").read([url.path])
    #expect(corpus.problems.isEmpty)
    #expect(
      corpus.articles.map(\.label) == ["7", "seven", nil, nil, "2.5e1", "[1, true]", "false"])
    // Without a label field nothing is kept.
    #expect(CorpusReader().read([url.path]).articles.allSatisfy { $0.label == nil })
  }

  @Test func anArticleFieldCanBeTheLabel() throws {
    let url = try folder([
      "a.jsonl": """
      {"id": "1", "title": "t", "story": "s1"}
      {"id": "2", "title": "t", "story": null}

      """
    ])
    defer { try? FileManager.default.removeItem(at: url) }
    let articles = CorpusReader(labelField: "story").read([url.path]).articles
    #expect(articles.map(\.label) == ["s1", nil])
    #expect(articles.map(\.story) == ["s1", nil])
  }

  @Test func csvColumnsMatchAsArticleFieldsDo() throws {
    let url = try folder([
      "a.csv": "id,title, Topic \n1,t,7\n2,t,\n3,t,\"x,y\"\n"
    ])
    defer { try? FileManager.default.removeItem(at: url) }
    let corpus = CorpusReader(labelField: "topic").read([url.path])
    #expect(corpus.problems.isEmpty)
    #expect(corpus.articles.map(\.label) == ["7", nil, "x,y"])
  }

  @Test func badRecordsAreStillLocatedProblems() throws {
    let url = try folder([
      "a.jsonl": "{\"id\": \"1\", \"title\": \"t\", \"topic\": 1}\n{\"id\": \"2\", \"topic\": 1\n"
    ])
    defer { try? FileManager.default.removeItem(at: url) }
    let corpus = CorpusReader(labelField: "topic").read([url.path])
    #expect(corpus.articles.map(\.id) == ["1"])
    #expect(corpus.problems.map(\.location?.line) == [2])
  }
}
