// swift-tools-version: 6.3
import PackageDescription

// Costly invariant checks (canonical CSR after vectorising, every article in exactly one
// cluster, ranked pairs in rank order) compile in only when STORYCLUSTER_INTERNAL_CHECKS is set in
// the environment of the build, as in CI's debug test run: `STORYCLUSTER_INTERNAL_CHECKS=1 swift
// test` (swift-collections' COLLECTIONS_INTERNAL_CHECKS). Off by default, and the benchmarks
// refuse to run with them on.
let internalChecks: [SwiftSetting] =
  Context.environment["STORYCLUSTER_INTERNAL_CHECKS"] != nil
  ? [.define("STORYCLUSTER_INTERNAL_CHECKS")] : []

let package = Package(
  name: "StoryCluster",
  products: [
    .library(name: "StoryCluster", targets: ["StoryCluster"]),
    .library(name: "StoryClusterIndex", targets: ["StoryClusterIndex"]),
    .executable(name: "cluster", targets: ["cluster"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "CBLAS",
      path: "Sources/CBLAS",
      pkgConfig: "blas",
      providers: [.apt(["libblas-dev", "libopenblas-dev"])]
    ),
    .target(
      name: "StoryCluster",
      dependencies: ["CBLAS"],
      path: "Sources/StoryCluster",
      swiftSettings: internalChecks
    ),
    // SQLite through a thin system-library wrapper rather than GRDB: nothing to fetch or build in
    // CI beyond Debian's libsqlite3-dev, and the index needs only a handful of statements.
    .systemLibrary(
      name: "CSQLite",
      path: "Sources/CSQLite",
      pkgConfig: "sqlite3",
      providers: [.apt(["libsqlite3-dev"])]
    ),
    .target(
      name: "StoryClusterIndex",
      dependencies: ["StoryCluster", "CSQLite"],
      path: "Sources/StoryClusterIndex",
      swiftSettings: internalChecks
    ),
    .executableTarget(
      name: "cluster",
      dependencies: [
        "StoryCluster",
        "StoryClusterIndex",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Sources/cluster"
    ),
    .executableTarget(
      name: "Benchmarks",
      dependencies: ["StoryCluster", "CBLAS"],
      path: "Benchmarks",
      exclude: ["peers", "Index"]
    ),
    .executableTarget(
      name: "IndexBenchmarks",
      dependencies: ["StoryCluster", "StoryClusterIndex"],
      path: "Benchmarks/Index"
    ),
    .executableTarget(
      name: "StoryClusterFuzz",
      dependencies: ["StoryCluster"],
      path: "Fuzz",
      exclude: ["corpus"]
    ),
    .target(
      name: "StoryClusterTestSupport",
      dependencies: ["StoryCluster"],
      path: "Tests/StoryClusterTestSupport"
    ),
    .testTarget(
      name: "StoryClusterTests",
      dependencies: ["StoryCluster", "StoryClusterTestSupport"],
      path: "Tests/StoryClusterTests",
      exclude: ["Fixtures/make_fixtures.py"],
      resources: [.copy("Fixtures")]
    ),
    .testTarget(
      name: "StoryClusterIndexTests",
      dependencies: ["StoryClusterIndex", "StoryClusterTestSupport"],
      path: "Tests/StoryClusterIndexTests"
    ),
    .testTarget(
      name: "ClusterCLITests",
      dependencies: ["cluster", "StoryClusterIndex", "StoryClusterTestSupport"],
      path: "Tests/ClusterCLITests"
    ),
  ]
)
