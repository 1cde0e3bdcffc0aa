/// How two articles are scored as a pair: the score of `cluster run`'s ranked pairs (and their
/// `near-duplicate` label) and of `cluster eval --pairs`.
///
/// Clustering always uses the cosine of the engine's TF-IDF rows; the pair score only ranks and
/// labels the pairs that the cosine finds (see "Choosing the defaults").
///
/// ```swift
/// var configuration = EngineConfiguration()
/// configuration.pairScore = .cosine  // the plain TF-IDF cosine
/// ```
public enum PairScore: String, Sendable, CaseIterable, Codable {
  /// The cosine of the two articles' TF-IDF rows (the clustering vectors), in `0...1`.
  case cosine
  /// The mean of two similarities, times a number-agreement factor, in `0...1`:
  ///
  /// ```
  /// score = (align + cos_char) / 2 × (1 − 0.2 × (1 − J))      two headlines
  /// score = (cos_word + cos_char) / 2 × (1 − 0.2 × (1 − J))   otherwise
  /// ```
  ///
  /// - `align`: the soft word alignment (``WordAlignment``) when both texts have at most 20
  ///   content words: each word of one matched with its most similar word of the other by their
  ///   character trigrams (`killed` / `kills`, `Mursi` / `Morsi`), idf-weighted, both ways. On
  ///   longer texts, which share many words exactly, the word cosine stands in.
  /// - `cos_word`: the cosine of the engine's word TF-IDF rows refitted with Porter2 stemming, so
  ///   `talks` meets `talk`.
  /// - `cos_char`: the cosine of character-trigram TF-IDF rows (scikit-learn
  ///   `TfidfVectorizer(analyzer='char_wb', ngram_range=(3, 3), sublinear_tf=True)` on the
  ///   tokens), which matches inflections, derived forms and spellings that stemming misses
  ///   (`Syria` / `Syrian`, `Rohani` / `Rowhani`).
  /// - `J`: the Jaccard overlap of the numbers the two texts mention (digit strings, and the
  ///   English words zero to twelve as digits); the factor is 1 unless both mention numbers,
  ///   and 0.8 when they share none ("4 NATO troops killed" is not "8 NATO troops killed").
  ///
  /// Identical texts score 1; the score is symmetric. On the DEV split of the SemEval STS
  /// headlines it lifts the Spearman correlation with human scores from 0.719 (the cosine) to
  /// 0.783 (0.774 with the word cosine in place of the alignment).
  ///
  /// References: P. Mcnamee and J. Mayfield, "Character n-gram tokenization for European
  /// language text retrieval", Information Retrieval 7, 2004; M. F. Porter, "Snowball: a
  /// language for stemming algorithms", 2001; M. A. Sultan, S. Bethard and T. Sumner,
  /// "DLS@CU: Sentence similarity from word alignment and semantic vector composition",
  /// SemEval 2015.
  case blended
}
