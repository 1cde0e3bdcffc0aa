import Foundation
import Testing

@testable import StoryCluster

/// `Package.swift` defines `STORYCLUSTER_INTERNAL_CHECKS` when the build's environment sets the
/// variable of that name; `swift test` builds and runs in one environment, so the two agree.
struct InternalChecksTests {
  @Test func compiledInExactlyWhenTheEnvironmentAsks() {
    let asked = ProcessInfo.processInfo.environment["STORYCLUSTER_INTERNAL_CHECKS"] != nil
    let state = "built with checks \(isInternalCheckingEnabled ? "on" : "off"), run with it "
    #expect(
      isInternalCheckingEnabled == asked,
      "\(state)\(asked ? "set" : "unset"): build and test in the same environment")
  }
}
