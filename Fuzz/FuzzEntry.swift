import Foundation
import StoryCluster

/// libFuzzer entry point: built with `-sanitize=fuzzer,address -DFUZZING` (scripts/fuzz.sh).
@_cdecl("LLVMFuzzerTestOneInput")
public func storyClusterFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  FuzzHarness.run(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}

#if FUZZING
  /// libFuzzer's driver (linked by `-sanitize=fuzzer`).
  @_silgen_name("LLVMFuzzerRunDriver")
  func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
  ) -> Int32

  /// SwiftPM links an executable's `main` to `<module>_main`; here that hands over to libFuzzer.
  @_cdecl("StoryClusterFuzz_main")
  public func fuzzMain(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
  ) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in
      guard let data else { return 0 }
      FuzzHarness.run(Array(UnsafeBufferPointer(start: data, count: size)))
      return 0
    }
  }
#else
  /// Replay mode (a normal build): runs the harness on each file named, e.g. a crash reproducer
  /// or the seed corpus, and prints what each input produced.
  @main
  struct Replay {
    static func main() {
      for path in CommandLine.arguments.dropFirst() {
        guard let data = FileManager.default.contents(atPath: path) else {
          print("\(path): cannot read")
          continue
        }
        let (articles, problems) = FuzzHarness.run(Array(data))
        print("\(path): \(articles) articles, \(problems) problems")
      }
    }
  }
#endif
