/// Whether this build of the engine runs its costly invariant checks: compiled with
/// `STORYCLUSTER_INTERNAL_CHECKS` defined, which `Package.swift` does when the variable of that
/// name is set in the build's environment (swift-collections' `COLLECTIONS_INTERNAL_CHECKS`).
///
/// Each check sits beside the type it checks (`Type+Invariants.swift`), as a function that
/// describes the first violation (tested directly on good and broken values) and a call at the
/// end of the producing function that traps on one. The benchmarks refuse to run when this is
/// `true`.
package var isInternalCheckingEnabled: Bool {
  #if STORYCLUSTER_INTERNAL_CHECKS
    return true
  #else
    return false
  #endif
}
