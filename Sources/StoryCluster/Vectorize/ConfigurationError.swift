/// A problem with the engine's options: the value given, the allowed range and a remedy.
///
/// ```swift
/// let e = ConfigurationError.outOfRange(option: "threshold", value: "1.5", allowed: "0...1")
/// print(e)  // error: threshold is 1.5; it must be in 0...1
/// ```
///
/// - Complexity: O(1).
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A numeric option is outside its range.
  case outOfRange(option: String, value: String, allowed: String)
  /// `min_df` keeps fewer documents than `max_df` allows, so no term could survive.
  case frequencyBoundsCross(minimum: String, maximum: String)
  /// Pruning by document frequency removed every term.
  case noTermsRemain
  /// The vocabulary is empty: the documents hold no tokens at all.
  case emptyVocabulary
  /// The distributed kernel's merged task results do not belong to this corpus and these
  /// settings (``KernelOutcome``): the tasks were prepared from others.
  case kernelOutcomeMismatch(String)

  /// The message, starting with `error:`.
  public var description: String {
    switch self {
    case .outOfRange(let option, let value, let allowed):
      return "error: \(option) is \(value); it must be in \(allowed)"
    case .frequencyBoundsCross(let minimum, let maximum):
      return
        "error: minDocumentFrequency (\(minimum)) exceeds maxDocumentFrequency (\(maximum)); "
        + "lower --min-df or raise --max-df"
    case .noTermsRemain:
      return "error: after pruning, no terms remain; try a lower --min-df or a higher --max-df"
    case .emptyVocabulary:
      return "error: empty vocabulary; the documents contain no terms (only stop words?)"
    case .kernelOutcomeMismatch(let reason):
      return
        "error: the kernel tasks' results do not match this corpus and these settings "
        + "(\(reason)); prepare, run the tasks and finish with the same input and options"
    }
  }
}
