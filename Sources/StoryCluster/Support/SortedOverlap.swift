/// The Jaccard overlap `|x ∩ y| / |x ∪ y|` of two sorted lists without repeats, in one merge
/// pass; 0 when both are empty.
///
/// ```swift
/// sortedJaccard([1, 2, 3], [2, 3, 4])  // 0.5
/// ```
///
/// - Complexity: O(x.count + y.count).
package func sortedJaccard<C: RandomAccessCollection>(_ x: C, _ y: C) -> Double
where C.Element: Comparable {
  var i = x.startIndex
  var j = y.startIndex
  var shared = 0
  while i < x.endIndex && j < y.endIndex {
    if x[i] == y[j] {
      shared += 1
      x.formIndex(after: &i)
      y.formIndex(after: &j)
    } else if x[i] < y[j] {
      x.formIndex(after: &i)
    } else {
      y.formIndex(after: &j)
    }
  }
  let union = x.count + y.count - shared
  return union == 0 ? 0 : Double(shared) / Double(union)
}
