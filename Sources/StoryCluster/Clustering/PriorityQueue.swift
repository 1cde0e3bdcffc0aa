/// A binary max-heap ordered by a strict "comes first" predicate.
///
/// - Complexity: `push` and `pop` are O(log n); memory O(n).
struct PriorityQueue<Element> {
  private var items: [Element] = []
  private let first: (Element, Element) -> Bool

  /// Creates an empty queue; `first(a, b)` is true when `a` must be popped before `b`.
  init(first: @escaping (Element, Element) -> Bool) { self.first = first }

  var isEmpty: Bool { items.isEmpty }

  /// The element `pop` would return next.
  func peek() -> Element? { items.first }

  mutating func push(_ element: Element) {
    items.append(element)
    var c = items.count - 1
    while c > 0 {
      let p = (c - 1) / 2
      guard first(items[c], items[p]) else { break }
      items.swapAt(c, p)
      c = p
    }
  }

  mutating func pop() -> Element? {
    guard let top = items.first else { return nil }
    let last = items.removeLast()
    if !items.isEmpty {
      items[0] = last
      var c = 0
      while true {
        let l = 2 * c + 1
        if l >= items.count { break }
        var m = l
        if l + 1 < items.count && first(items[l + 1], items[l]) { m = l + 1 }
        guard first(items[m], items[c]) else { break }
        items.swapAt(c, m)
        c = m
      }
    }
    return top
  }
}
