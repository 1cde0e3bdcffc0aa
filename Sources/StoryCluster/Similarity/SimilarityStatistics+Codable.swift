/// The kernel's counters are encoded under their Swift names, so a stored ``Report`` keeps them.
extension SimilarityResult.Statistics: Codable {
  private enum CodingKeys: String, CodingKey {
    case headColumns, denseFlops, sparseUpdates, rescored, denseSeconds, workers, blockSize
  }

  /// Encodes every counter.
  ///
  /// - Parameter encoder: The encoder.
  /// - Throws: What the encoder throws.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(headColumns, forKey: .headColumns)
    try container.encode(denseFlops, forKey: .denseFlops)
    try container.encode(sparseUpdates, forKey: .sparseUpdates)
    try container.encode(rescored, forKey: .rescored)
    try container.encode(denseSeconds, forKey: .denseSeconds)
    try container.encode(workers, forKey: .workers)
    try container.encode(blockSize, forKey: .blockSize)
  }

  /// Decodes every counter.
  ///
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` when a counter is missing or of the wrong type.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      headColumns: try container.decode(Int.self, forKey: .headColumns),
      denseFlops: try container.decode(Double.self, forKey: .denseFlops),
      sparseUpdates: try container.decode(Int.self, forKey: .sparseUpdates),
      rescored: try container.decode(Int.self, forKey: .rescored),
      denseSeconds: try container.decode(Double.self, forKey: .denseSeconds),
      workers: try container.decode(Int.self, forKey: .workers),
      blockSize: try container.decode(Int.self, forKey: .blockSize))
  }
}
