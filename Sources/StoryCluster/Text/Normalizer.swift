/// Fingerprints of normalised text, for exact-duplicate detection.
///
/// Two articles have the same fingerprint when their texts hold the same sequence of lowercased
/// word tokens (every `\w` run, single characters included): case, punctuation, spacing and line
/// breaks are ignored. The fingerprint is 128 bits (two independent 64-bit hashes of the token
/// sequence), so distinct texts collide with negligible probability.
///
/// ```swift
/// Normalizer.fingerprint("Hello,  World!") == Normalizer.fingerprint("hello world")  // true
/// ```
///
/// - Complexity: O(n) time in the text; O(1) memory beyond the tokenizer's scratch.
package enum Normalizer {
  /// A 128-bit fingerprint.
  package struct Fingerprint: Hashable, Sendable {
    var high: UInt64
    var low: UInt64
  }

  /// The fingerprint of `text`.
  package static func fingerprint(_ text: String) -> Fingerprint {
    var tokenizer = Tokenizer(isLowercasing: true, minimumLength: 1)
    var a: UInt64 = 0x243F_6A88_85A3_08D3
    var b: UInt64 = 0x1319_8A2E_0370_7344
    var text = text
    text.withUTF8 { bytes in
      tokenizer.forEachToken(in: bytes) { token in
        let h = TermTable.hash(token)
        a = (a ^ h) &* 0x9E37_79B9_7F4A_7C15
        a ^= a >> 29
        b = (b &+ (h ^ 0xD6E8_FEB8_6659_FD93)) &* 0xBF58_476D_1CE4_E5B9
        b ^= b >> 31
        b = b &+ UInt64(token.count)
      }
    }
    return Fingerprint(high: a, low: b)
  }
}
