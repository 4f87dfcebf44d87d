// GroupedSort — sorting a batch's arrays (entries, buckets, pupil rows) by
// a small leading key first: every one of them is ordered by hour (or
// day) first, and a batch spans a few hundred hours. A counting pass puts
// each item in its hour's range, then each range is sorted by the rest of
// the key. The standard library's merge sort of the whole array spent
// about 16 comparisons an item on 70,000 items; the ranges hold ~150, so
// about 7, and the counting pass is linear (`make bench` 8,
// Benchmarks/RESULTS.md).

/// `items` ordered by `group` (dense, 0..<groups), then by `less`; items
/// of one group that `less` does not order keep their relative order (the
/// counting pass is stable, and each range is sorted stably).
func groupedSort<T>(_ items: [T], groups: Int, group: (T) -> Int, by less: (T, T) -> Bool) -> [T] {
    guard items.count > 1 else { return items }
    var starts = [Int](repeating: 0, count: groups + 1)
    for item in items { starts[group(item) + 1] += 1 }
    for g in 0..<groups { starts[g + 1] += starts[g] }
    var next = starts
    var sorted = [T](unsafeUninitializedCapacity: items.count) { buffer, initialized in
        for item in items {
            let g = group(item)
            (buffer.baseAddress! + next[g]).initialize(to: item)
            next[g] += 1
        }
        initialized = items.count
    }
    sorted.withUnsafeMutableBufferPointer { all in
        for g in 0..<groups where starts[g + 1] - starts[g] > 1 {
            var range = UnsafeMutableBufferPointer(rebasing: all[starts[g]..<starts[g + 1]])
            range.sort(by: less)
        }
    }
    return sorted
}

/// Sorts `items`, which are in run order already (neighbours with equal
/// `run` form a run: the rows of one hour), within each run by `less`.
/// The commit thread's pupil rows and bucket upserts come in bucket order
/// and need only each hour's rows put in the table's (profile, …) order.
func sortWithinRuns<T, Run: Equatable>(_ items: inout [T], run: (T) -> Run, by less: (T, T) -> Bool) {
    items.withUnsafeMutableBufferPointer { all in
        var start = 0
        while start < all.count {
            let key = run(all[start])
            var end = start + 1
            while end < all.count, run(all[end]) == key { end += 1 }
            if end - start > 1 {
                var range = UnsafeMutableBufferPointer(rebasing: all[start..<end])
                range.sort(by: less)
            }
            start = end
        }
    }
}
