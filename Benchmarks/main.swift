import StoryCluster

print("Benchmarks: not yet")
