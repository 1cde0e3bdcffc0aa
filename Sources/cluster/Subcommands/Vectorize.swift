import ArgumentParser
import StoryCluster

extension ClusterCommand {
  /// `cluster vectorize`: prints each article's TF-IDF weights.
  struct Vectorize: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the TF-IDF weights of each article, one JSON line per article.",
      discussion: "With --preset sklearn the weights equal scikit-learn's TfidfVectorizer().")

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl }

    @OptionGroup var input: InputOptions
    @OptionGroup var similarity: SimilarityOptions
    @Option(help: "Output format.") var format: Format = .jsonl
    @OptionGroup var destination: DestinationOptions
    @OptionGroup var progress: ProgressOptions

    func run() throws {
      var target = try destination.open()
      let hook = progress.start()
      let corpus = try input.readCorpus(progress: hook)
      // The same analyse and vectorize stages as `cluster run`: every analysis option counts.
      let engine = try similarity.engine(threads: input.threads, progress: hook)
      let analysed = engine.analyse(consume corpus)
      let vectors: Vectors
      do {
        vectors = try engine.vectorize(analysed)
      } catch {
        Diagnostics.print(error.description)
        throw ExitCode(64)
      }
      ProgressDisplay.shared.finish()
      let model = vectors.model
      let matrix = vectors.matrix
      var out = ByteWriter(descriptor: target.descriptor)
      for (row, id) in analysed.ids.enumerated() {
        out.raw("{\"id\": ")
        out.jsonString(id)
        out.raw(", \"terms\": {")
        var first = true
        for (column, value) in matrix.row(row) where value != 0 {
          if !first { out.raw(", ") }
          first = false
          out.jsonString(model.vocabulary[column])
          out.raw(": \(value)")
        }
        out.raw("}}\n")
        // A closed pipe or a full disk: the rest would be dropped, so stop formatting it.
        if out.failure != nil { break }
      }
      try target.complete(&out)
    }
  }
}
